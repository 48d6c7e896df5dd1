"""Every word the report shows, one table per language.

`LABELS[lang]` holds the page's text, the names of periods and dates, and for
every KPI its name and its one-line definition from the contract
(docs/contract.md, section 3). Code never spells a visible word itself:
it looks it up here, so a translation is one table.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

VI: dict[str, Any] = {
    "title": "Báo cáo chăm sóc khách hàng",
    "subtitle": "Các chỉ số khách hàng, tiếng nói khách hàng và vận hành hỗ trợ, cập nhật mỗi đêm.",
    "grain_switch": "Xem theo",
    "grains": {"week": "Tuần", "month": "Tháng", "quarter": "Quý", "year": "Năm"},
    "period_short": {
        "week": "Tuần {week}/{iso_year}",
        "month": "T{month}/{year}",
        "quarter": "Q{quarter}/{year}",
        "year": "{year}",
    },
    "period_long": {
        "week": "Tuần {week}/{iso_year} ({start} – {end})",
        "month": "Tháng {month}/{year}",
        "quarter": "Quý {quarter}/{year}",
        "year": "Năm {year}",
    },
    "date": "{day:02d}/{month:02d}/{year}",
    "month_names": [f"tháng {month}" for month in range(1, 13)],
    "points": "điểm\u00a0%",
    "incomplete_mark": "*",
    "incomplete_note": "* Kỳ chưa kết thúc: số liệu còn thay đổi.",
    "source_published": "Nguồn: bản công bố {path}, công bố lúc {time}.",
    "source_work": "Nguồn: kho dữ liệu làm việc {path} (chưa có bản công bố nào).",
    "generated_at": "Tạo báo cáo lúc {time}.",
    "last_failure": (
        "Lần chạy đêm gần nhất thất bại lúc {time} ({step}): số liệu dưới đây là của bản "
        "công bố trước đó."
    ),
    "latest_period": "Kỳ trọn vẹn gần nhất: {period}",
    "no_complete_period": "Chưa có kỳ nào trọn vẹn ở cấp này.",
    "previous": "so với kỳ trước: {change}",
    "previous_missing": "không có kỳ trước để so sánh",
    "no_data": "Không có dữ liệu",
    "no_data_detail": "Kho dữ liệu chưa có số liệu cho biểu đồ này.",
    "missing_value": "–",
    "definitions": "Định nghĩa",
    "sections": {
        "headline": "Tổng quan",
        "customers": "Khách hàng",
        "voice": "Tiếng nói khách hàng",
        "support": "Vận hành hỗ trợ",
        "agents": "Nhân viên và nhóm",
        "quality": "Chất lượng dữ liệu",
    },
    "textbook_note": (
        "CRR/CCR sách giáo khoa chỉ dùng số đầu kỳ, cuối kỳ và khách mới, nên coi như mọi "
        "khách mới còn hoạt động và không ai quay lại; tỷ lệ giữ chân/rời bỏ đếm đúng từng "
        "khách hàng, vì vậy hai cách tính khác nhau khi có khách quay lại hoặc khách mới "
        "rời đi ngay trong kỳ."
    ),
    "cohort_note": "Theo tháng mua hàng đầu tiên; không phụ thuộc nút chọn kỳ.",
    "dim_note": "Tại thời điểm chốt số liệu; không phụ thuộc nút chọn kỳ.",
    "agents_period": "Kỳ: {period}",
    "agents_sort_hint": "Bấm vào tiêu đề cột để sắp xếp.",
    "teams_table": "Theo nhóm",
    "agents_table": "Theo nhân viên",
    "team": "Nhóm",
    "agent": "Nhân viên",
    "agent_id": "Mã",
    "reconciliation_table": "Đối soát dòng dữ liệu nguồn",
    "rejected_table": "Dòng bị loại theo bảng và lý do",
    "rejected_none": "Không có dòng nào bị loại.",
    "rejected_unavailable": (
        "Bản công bố chỉ có số đếm đối soát; chi tiết lý do nằm trong kho làm việc, "
        "hiện không đọc được."
    ),
    "gates_table": "Cổng kiểm tra chất lượng của lần chạy đêm gần nhất",
    "gates_run": "Lần chạy {run_id}, lúc {time}: {passed}/{total} kiểm tra đạt.",
    "gates_none": (
        "Chưa có lần chạy đêm nào ghi lại kết quả kiểm tra (chạy `make nightly` hoặc lịch "
        "chạy của Dagster)."
    ),
    "gates_dbt": "Kiểm thử dbt: {passed}/{total} đạt",
    "gate_status": {"passed": "Đạt", "warning": "Cảnh báo", "failed": "Không đạt"},
    "columns": {
        "source_table": "Bảng nguồn",
        "raw_rows": "Dòng thô",
        "valid_rows": "Hợp lệ",
        "duplicate_rows": "Trùng",
        "rejected_rows": "Bị loại",
        "rejected_share": "Tỷ lệ bị loại",
        "reason": "Lý do",
        "rows": "Số dòng",
        "check": "Kiểm tra",
        "asset": "Đối tượng",
        "status": "Kết quả",
        "description": "Mô tả",
        "stage": "Giai đoạn",
        "tier": "Hạng",
        "customers": "Khách hàng",
        "period": "Kỳ",
        "series": "Chỉ số",
        "value": "Giá trị",
        "cohort": "Nhóm (tháng mua đầu)",
        "month_offset": "Tháng thứ",
        "share": "Tỷ trọng",
    },
    "lifecycle_stages": {
        "prospect": "Tiềm năng",
        "new": "Mới",
        "active": "Đang hoạt động",
        "at_risk": "Có nguy cơ",
        "churned": "Đã rời bỏ",
    },
    "loyalty_tiers": {
        "none": "Chưa mua",
        "one_time": "Mua một lần",
        "repeat": "Mua lại (2–4)",
        "loyal": "Trung thành (5+)",
    },
    "charts": {
        "active_customers": "Khách hàng đang hoạt động và biến động",
        "retention_churn": "Tỷ lệ giữ chân và rời bỏ",
        "revenue": "Doanh thu từ khách mới và khách quay lại",
        "cohorts": "Giữ chân theo nhóm khách (cohort)",
        "lifecycle": "Giai đoạn vòng đời khách hàng",
        "loyalty": "Hạng khách hàng thân thiết",
        "nps": "Chỉ số NPS",
        "csat": "Mức độ hài lòng (CSAT)",
        "tickets": "Yêu cầu hỗ trợ và tồn đọng",
        "fcr": "Giải quyết ngay lần đầu và mở lại",
        "first_response": "Thời gian phản hồi đầu tiên",
        "resolution": "Thời gian giải quyết",
        "wait": "Thời gian chờ trong mục tiêu",
        "sla": "Đạt SLA",
        "team_csat": "CSAT theo nhóm",
        "rejected": "Dòng bị loại theo lý do",
    },
    "kpis": {
        "customers_end": (
            "Khách hàng đang hoạt động",
            "Khách có đơn hoàn thành trong W ngày trước cuối kỳ (mặc định 90 ngày).",
        ),
        "retained_customers": (
            "Giữ chân", "Hoạt động ở đầu kỳ và vẫn hoạt động ở cuối kỳ."
        ),
        "churned_customers": ("Rời bỏ", "Hoạt động ở đầu kỳ nhưng không còn ở cuối kỳ."),
        "reactivated_customers": (
            "Quay lại",
            "Không hoạt động ở đầu kỳ, hoạt động ở cuối kỳ, đã mua trước kỳ này.",
        ),
        "new_customers": ("Khách mới", "Khách có đơn hoàn thành đầu tiên trong kỳ."),
        "new_customers_active_at_end": (
            "Khách mới còn hoạt động", "Khách mới trong kỳ vẫn hoạt động ở cuối kỳ."
        ),
        "retention_rate": (
            "Tỷ lệ giữ chân", "Số khách giữ chân / số khách hoạt động đầu kỳ."
        ),
        "churn_rate": ("Tỷ lệ rời bỏ", "Số khách rời bỏ / số khách hoạt động đầu kỳ."),
        "retention_rate_textbook": (
            "CRR (sách giáo khoa)",
            "(Khách cuối kỳ − khách mới) / khách đầu kỳ, không cắt ngưỡng.",
        ),
        "churn_rate_textbook": (
            "CCR (sách giáo khoa)",
            "(Khách đầu kỳ − khách cuối kỳ) / khách đầu kỳ, không cắt ngưỡng.",
        ),
        "revenue": ("Doanh thu", "Tổng giá trị các đơn hoàn thành đặt trong kỳ."),
        "revenue_new_customers": (
            "Doanh thu khách mới", "Doanh thu của khách có lần mua đầu tiên trong cùng kỳ."
        ),
        "revenue_returning_customers": (
            "Doanh thu khách quay lại", "Doanh thu của các khách còn lại (đã mua trước kỳ)."
        ),
        "returning_revenue_share": (
            "Tỷ trọng doanh thu khách quay lại", "Doanh thu khách quay lại / doanh thu."
        ),
        "cohort_retention": (
            "Tỷ lệ giữ chân theo nhóm",
            "Số khách của nhóm (tháng mua đầu) có mua trong tháng đó / quy mô nhóm.",
        ),
        "lifecycle_stage": (
            "Giai đoạn vòng đời",
            "Tiềm năng: chưa mua; rời bỏ: không mua trong W ngày; mới: mua lần đầu trong 30 "
            "ngày; có nguy cơ: lần mua cuối quá 60 ngày; còn lại: đang hoạt động.",
        ),
        "loyalty_tier": (
            "Hạng thân thiết", "Theo số lần mua: 0, 1, 2–4, từ 5 trở lên."
        ),
        "nps": (
            "NPS", "100 × (người ủng hộ − người phản đối) / số phản hồi NPS, từ −100 đến 100."
        ),
        "promoters": ("Người ủng hộ", "Điểm NPS 9–10."),
        "passives": ("Trung lập", "Điểm NPS 7–8."),
        "detractors": ("Người phản đối", "Điểm NPS 0–6."),
        "csat_rate": (
            "Tỷ lệ hài lòng (CSAT)",
            "Phản hồi 4–5 điểm / số phản hồi CSAT (điểm 3 không tính là hài lòng).",
        ),
        "avg_rating": ("Điểm đánh giá trung bình", "Điểm CSAT trung bình, thang 1–5."),
        "tickets_created": ("Yêu cầu mới", "Số yêu cầu hỗ trợ tạo trong kỳ."),
        "tickets_resolved": (
            "Yêu cầu đã giải quyết",
            "Số yêu cầu được giải quyết trong kỳ, dù tạo ở kỳ nào.",
        ),
        "backlog_end": (
            "Tồn đọng cuối kỳ", "Yêu cầu tạo trước cuối kỳ mà chưa giải quyết tại cuối kỳ."
        ),
        "fcr_rate": (
            "Giải quyết ngay lần đầu (FCR)",
            "Trong các yêu cầu tạo trong kỳ đã giải quyết: tỷ lệ chỉ một lần liên hệ, "
            "không mở lại.",
        ),
        "reopen_rate": (
            "Tỷ lệ mở lại",
            "Trong các yêu cầu tạo trong kỳ đã giải quyết: tỷ lệ bị mở lại ít nhất một lần.",
        ),
        "median_first_response_minutes": (
            "Phản hồi đầu tiên, trung vị (phút)",
            "Trung vị thời gian từ lúc tạo đến phản hồi đầu tiên của nhân viên.",
        ),
        "p90_first_response_minutes": (
            "Phản hồi đầu tiên, p90 (phút)",
            "90% yêu cầu được phản hồi lần đầu trong khoảng thời gian này.",
        ),
        "median_resolution_hours": (
            "Thời gian giải quyết, trung vị (giờ)",
            "Trung vị thời gian từ lúc tạo đến lúc giải quyết, với yêu cầu đã giải quyết.",
        ),
        "p90_resolution_hours": (
            "Thời gian giải quyết, p90 (giờ)",
            "90% yêu cầu đã giải quyết xong trong khoảng thời gian này.",
        ),
        "wait_within_target_rate": (
            "Chờ trong mục tiêu",
            "Trong các yêu cầu có thời gian chờ: tỷ lệ chờ không quá mục tiêu (mặc định 60 giây).",
        ),
        "first_response_sla_rate": (
            "Đạt SLA phản hồi đầu tiên",
            "Đạt / (đạt + vi phạm) theo mục tiêu phút của từng mức ưu tiên, tính trên đồng hồ "
            "của mức đó (lịch hoặc giờ làm việc); chưa đến hạn không tính.",
        ),
        "resolution_sla_rate": (
            "Đạt SLA giải quyết",
            "Đạt / (đạt + vi phạm) theo mục tiêu giờ của từng mức ưu tiên, tính trên đồng hồ "
            "của mức đó (lịch hoặc giờ làm việc); chưa đến hạn không tính.",
        ),
        "tickets_assigned": ("Được giao", "Yêu cầu tạo trong kỳ giao cho nhân viên này."),
        "agent_tickets_resolved": (
            "Đã giải quyết", "Yêu cầu nhân viên này giải quyết trong kỳ."
        ),
        "agent_fcr_rate": (
            "FCR", "Trong các yêu cầu nhân viên giải quyết trong kỳ: tỷ lệ giải quyết ngay lần đầu."
        ),
        "avg_resolution_hours": (
            "Giải quyết TB (giờ)", "Thời gian giải quyết trung bình của các yêu cầu đó."
        ),
        "agent_resolution_sla_rate": (
            "SLA giải quyết", "Tỷ lệ đạt SLA giải quyết của các yêu cầu đó."
        ),
        "csat_responses": (
            "Phản hồi CSAT", "Phản hồi CSAT trong kỳ về các yêu cầu của nhân viên này."
        ),
        "agent_csat_rate": ("CSAT", "Phản hồi 4–5 điểm / số phản hồi CSAT về nhân viên."),
        "source_reconciliation": (
            "Đối soát nguồn",
            "Mỗi bảng nguồn: dòng thô = hợp lệ + trùng lặp + bị loại (lý do ở bảng dưới).",
        ),
    },
}

EN: dict[str, Any] = {
    "title": "Customer care report",
    "subtitle": "Customer, voice-of-the-customer and support KPIs, refreshed every night.",
    "grain_switch": "Show by",
    "grains": {"week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"},
    "period_short": {
        "week": "W{week:02d} {iso_year}",
        "month": "{month_name} {year}",
        "quarter": "Q{quarter} {year}",
        "year": "{year}",
    },
    "period_long": {
        "week": "Week {week} {iso_year} ({start} – {end})",
        "month": "{month_name} {year}",
        "quarter": "Q{quarter} {year}",
        "year": "{year}",
    },
    "date": "{day} {month_name} {year}",
    "month_names": [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    ],
    "points": "pp",
    "incomplete_mark": "*",
    "incomplete_note": "* Period still in progress: its numbers will change.",
    "source_published": "Source: the published snapshot {path}, published {time}.",
    "source_work": "Source: the work warehouse {path} (nothing is published yet).",
    "generated_at": "Report built {time}.",
    "last_failure": (
        "The last nightly run failed at {time} ({step}): the numbers below are from the "
        "previous snapshot."
    ),
    "latest_period": "Latest complete period: {period}",
    "no_complete_period": "No complete period at this grain yet.",
    "previous": "vs previous period: {change}",
    "previous_missing": "no previous period to compare with",
    "no_data": "No data",
    "no_data_detail": "The warehouse has no numbers for this chart yet.",
    "missing_value": "–",
    "definitions": "Definitions",
    "sections": {
        "headline": "Overview",
        "customers": "Customers",
        "voice": "Voice of the customer",
        "support": "Support operations",
        "agents": "Agents and teams",
        "quality": "Data quality",
    },
    "textbook_note": (
        "The textbook CRR/CCR use only the start, end and new-customer counts, so they assume "
        "every new customer is still active at the end and nobody comes back; retention and "
        "churn count each customer, so the two differ whenever customers return or new "
        "customers lapse within the period."
    ),
    "cohort_note": "By month of first purchase; the period switch does not apply.",
    "dim_note": "As of the data's cut-off; the period switch does not apply.",
    "agents_period": "Period: {period}",
    "agents_sort_hint": "Click a column heading to sort.",
    "teams_table": "By team",
    "agents_table": "By agent",
    "team": "Team",
    "agent": "Agent",
    "agent_id": "ID",
    "reconciliation_table": "Source row reconciliation",
    "rejected_table": "Rejected rows by table and reason",
    "rejected_none": "No row was rejected.",
    "rejected_unavailable": (
        "The published snapshot holds the reconciliation counts only; the reasons are in the "
        "work warehouse, which cannot be read now."
    ),
    "gates_table": "Quality gates of the last nightly run",
    "gates_run": "Run {run_id}, {time}: {passed} of {total} checks passed.",
    "gates_none": (
        "No nightly run has recorded its quality gates yet (run `make nightly`, or let "
        "Dagster's schedule run)."
    ),
    "gates_dbt": "dbt tests: {passed} of {total} passed",
    "gate_status": {"passed": "Passed", "warning": "Warning", "failed": "Failed"},
    "columns": {
        "source_table": "Source table",
        "raw_rows": "Raw rows",
        "valid_rows": "Valid",
        "duplicate_rows": "Duplicates",
        "rejected_rows": "Rejected",
        "rejected_share": "Rejected share",
        "reason": "Reason",
        "rows": "Rows",
        "check": "Check",
        "asset": "Asset",
        "status": "Result",
        "description": "Description",
        "stage": "Stage",
        "tier": "Tier",
        "customers": "Customers",
        "period": "Period",
        "series": "Measure",
        "value": "Value",
        "cohort": "Cohort (first purchase)",
        "month_offset": "Month",
        "share": "Share",
    },
    "lifecycle_stages": {
        "prospect": "Prospect",
        "new": "New",
        "active": "Active",
        "at_risk": "At risk",
        "churned": "Churned",
    },
    "loyalty_tiers": {
        "none": "No purchase",
        "one_time": "One-time",
        "repeat": "Repeat (2–4)",
        "loyal": "Loyal (5+)",
    },
    "charts": {
        "active_customers": "Active customers and their flows",
        "retention_churn": "Retention and churn rate",
        "revenue": "Revenue from new and returning customers",
        "cohorts": "Cohort retention",
        "lifecycle": "Customer lifecycle stages",
        "loyalty": "Loyalty tiers",
        "nps": "Net Promoter Score",
        "csat": "Customer satisfaction (CSAT)",
        "tickets": "Tickets and backlog",
        "fcr": "First contact resolution and reopens",
        "first_response": "First response time",
        "resolution": "Resolution time",
        "wait": "Wait within target",
        "sla": "SLA attainment",
        "team_csat": "CSAT by team",
        "rejected": "Rejected rows by reason",
    },
    "kpis": {
        "customers_end": (
            "Active customers",
            "Customers with a completed order in the W days before the period's end (90 days).",
        ),
        "retained_customers": ("Retained", "Active at the start and still active at the end."),
        "churned_customers": ("Churned", "Active at the start, not active at the end."),
        "reactivated_customers": (
            "Reactivated",
            "Not active at the start, active at the end, first purchase before the period.",
        ),
        "new_customers": (
            "New customers", "Customers whose first completed order is in the period."
        ),
        "new_customers_active_at_end": (
            "New, still active", "New customers of the period still active at its end."
        ),
        "retention_rate": ("Retention rate", "Retained customers / customers active at the start."),
        "churn_rate": ("Churn rate", "Churned customers / customers active at the start."),
        "retention_rate_textbook": (
            "Textbook CRR", "(Customers at end − new customers) / customers at start, unclipped."
        ),
        "churn_rate_textbook": (
            "Textbook CCR",
            "(Customers at start − customers at end) / customers at start, unclipped.",
        ),
        "revenue": ("Revenue", "Sum of the amounts of completed orders placed in the period."),
        "revenue_new_customers": (
            "Revenue, new customers",
            "Revenue of customers whose first purchase is in the same period.",
        ),
        "revenue_returning_customers": (
            "Revenue, returning customers", "Revenue of the other customers (bought before)."
        ),
        "returning_revenue_share": (
            "Returning revenue share", "Revenue from returning customers / revenue."
        ),
        "cohort_retention": (
            "Cohort retention",
            "Members of the cohort (month of first purchase) who bought that month / cohort size.",
        ),
        "lifecycle_stage": (
            "Lifecycle stage",
            "Prospect: no purchase; churned: none in W days; new: first purchase in 30 days; "
            "at risk: last purchase over 60 days ago; otherwise active.",
        ),
        "loyalty_tier": ("Loyalty tier", "By number of purchases: 0, 1, 2–4, 5 or more."),
        "nps": ("NPS", "100 × (promoters − detractors) / NPS responses, from −100 to 100."),
        "promoters": ("Promoters", "NPS score 9–10."),
        "passives": ("Passives", "NPS score 7–8."),
        "detractors": ("Detractors", "NPS score 0–6."),
        "csat_rate": (
            "CSAT rate", "Ratings of 4–5 / CSAT responses (a neutral 3 is not satisfied)."
        ),
        "avg_rating": ("Average rating", "Mean CSAT score, on a 1–5 scale."),
        "tickets_created": ("Tickets created", "Tickets created in the period."),
        "tickets_resolved": (
            "Tickets resolved", "Tickets resolved in the period, whenever they were created."
        ),
        "backlog_end": (
            "Backlog at end", "Tickets created before the period's end and unresolved at it."
        ),
        "fcr_rate": (
            "First contact resolution (FCR)",
            "Of the period's resolved tickets: share with one contact and no reopen.",
        ),
        "reopen_rate": (
            "Reopen rate", "Of the period's resolved tickets: share reopened at least once."
        ),
        "median_first_response_minutes": (
            "First response, median (min)",
            "Median minutes from creation to the first agent reply.",
        ),
        "p90_first_response_minutes": (
            "First response, p90 (min)", "90% of tickets got a first reply within this time."
        ),
        "median_resolution_hours": (
            "Resolution time, median (h)", "Median hours from creation to resolution."
        ),
        "p90_resolution_hours": (
            "Resolution time, p90 (h)", "90% of resolved tickets were resolved within this time."
        ),
        "wait_within_target_rate": (
            "Wait within target",
            "Of tickets with a queue time: share that waited no longer than the target (60 s).",
        ),
        "first_response_sla_rate": (
            "First-response SLA",
            "Met / (met + breached) against each priority's minutes target, on that priority's "
            "clock (calendar or business hours); pending not counted.",
        ),
        "resolution_sla_rate": (
            "Resolution SLA",
            "Met / (met + breached) against each priority's hours target, on that priority's "
            "clock (calendar or business hours); pending not counted.",
        ),
        "tickets_assigned": ("Assigned", "Tickets created in the period with this agent."),
        "agent_tickets_resolved": ("Resolved", "Tickets this agent resolved in the period."),
        "agent_fcr_rate": ("FCR", "Of the tickets the agent resolved: first contact resolution."),
        "avg_resolution_hours": (
            "Avg resolution (h)", "Average resolution time of those tickets."
        ),
        "agent_resolution_sla_rate": (
            "Resolution SLA", "Share of those tickets that met the resolution SLA."
        ),
        "csat_responses": (
            "CSAT responses", "CSAT responses in the period about this agent's tickets."
        ),
        "agent_csat_rate": ("CSAT", "Ratings of 4–5 / CSAT responses about the agent."),
        "source_reconciliation": (
            "Source reconciliation",
            "Per source table: raw rows = valid + duplicate + rejected (reasons below).",
        ),
    },
}

# The "Service and retention" section (cs_analytics/report/service_retention.py).
VI["sections"]["service"] = "Dịch vụ và giữ chân khách hàng"
VI["charts"].update({
    "service_band_rates": "Tỷ lệ giữ chân theo nhóm dịch vụ, kỳ trọn vẹn gần nhất",
    "service_vs_no_ticket": "Giữ chân so với nhóm không cần hỗ trợ",
})
VI["kpis"].update({
    "service_band_retention": (
        "Tỷ lệ giữ chân của nhóm",
        "Trong khách hoạt động đầu kỳ thuộc nhóm: tỷ lệ vẫn hoạt động cuối kỳ; vạch dọc là "
        "khoảng tin cậy 95% (Wilson). Nhóm dưới 30 khách không được vẽ.",
    ),
    "unresolved_vs_no_ticket": (
        "Chưa được giải quyết so với không yêu cầu",
        "Tỷ lệ giữ chân của nhóm chưa được giải quyết trừ tỷ lệ của nhóm không yêu cầu hỗ "
        "trợ, cùng kỳ (điểm %); bỏ trống khi một trong hai nhóm dưới 30 khách.",
    ),
    "dissatisfied_vs_no_ticket": (
        "Không hài lòng so với không yêu cầu",
        "Tỷ lệ giữ chân của nhóm không hài lòng trừ tỷ lệ của nhóm không yêu cầu hỗ trợ, "
        "cùng kỳ (điểm %); bỏ trống khi một trong hai nhóm dưới 30 khách.",
    ),
})
VI["service_retention"] = {
    "association": (
        "Đây là mối liên quan, không phải quan hệ nhân quả: khách cần hỗ trợ khác khách "
        "không cần ở nhiều điểm ngoài dịch vụ họ nhận được, nên tỷ lệ thấp hơn ở một nhóm "
        "không chứng minh rằng dịch vụ làm khách rời đi."
    ),
    "period": (
        "Kỳ: {period}. Mỗi khách hoạt động đầu kỳ thuộc đúng một nhóm, xét các yêu cầu và "
        "khảo sát của chính khách trong W ngày trước đầu kỳ (W là cửa sổ rời bỏ, mặc định 90 "
        "ngày); nhóm đầu tiên đúng được chọn, theo thứ tự dưới đây."
    ),
    "too_small": "Quá ít khách để đọc (dưới {minimum})",
    "interval": "{low} – {high}",
    "no_helpdesk": "Không có yêu cầu hỗ trợ hay khảo sát nào để chia nhóm khách hàng.",
    "columns": {
        "band": "Nhóm dịch vụ",
        "customers": "Khách đầu kỳ",
        "retention_rate": "Tỷ lệ giữ chân",
        "interval": "Khoảng tin cậy 95%",
        "ci_low": "Cận dưới 95%",
        "ci_high": "Cận trên 95%",
    },
    "bands": {
        "unresolved": (
            "Chưa được giải quyết",
            "Có yêu cầu tạo trong W ngày trước đầu kỳ mà chưa giải quyết trước đầu kỳ.",
        ),
        "dissatisfied": (
            "Không hài lòng",
            "Có đánh giá CSAT 1–2 hoặc NPS 0–6 gửi trong W ngày trước đầu kỳ.",
        ),
        "sla_breached": (
            "Vi phạm SLA",
            "Có yêu cầu tạo trong W ngày trước đầu kỳ vi phạm SLA phản hồi hoặc giải quyết "
            "tính đến đầu kỳ.",
        ),
        "served": ("Được phục vụ", "Có yêu cầu tạo trong W ngày trước đầu kỳ (không thuộc "
                                   "các nhóm trên)."),
        "no_ticket": ("Không yêu cầu hỗ trợ", "Các khách còn lại."),
    },
}
EN["sections"]["service"] = "Service and retention"
EN["charts"].update({
    "service_band_rates": "Retention by service band, latest complete period",
    "service_vs_no_ticket": "Retention against customers who never needed help",
})
EN["kpis"].update({
    "service_band_retention": (
        "Band retention rate",
        "Of the band's customers active at the start, the share still active at the end; "
        "the whisker is the 95% (Wilson) interval. Bands under 30 customers are not drawn.",
    ),
    "unresolved_vs_no_ticket": (
        "Unresolved against no ticket",
        "The unresolved band's retention rate minus the no-ticket band's, same period "
        "(percentage points); blank when either band has under 30 customers.",
    ),
    "dissatisfied_vs_no_ticket": (
        "Dissatisfied against no ticket",
        "The dissatisfied band's retention rate minus the no-ticket band's, same period "
        "(percentage points); blank when either band has under 30 customers.",
    ),
})
EN["service_retention"] = {
    "association": (
        "This shows an association, not a cause: customers who needed help differ from "
        "those who did not in many ways besides the help they got, so a lower rate in a "
        "band does not prove that the service made them leave."
    ),
    "period": (
        "Period: {period}. Each customer active at its start is in exactly one band, the "
        "first that applies, in the order below, from the customer's own tickets and "
        "surveys in the W days before it (W is the churn window, 90 days by default)."
    ),
    "too_small": "Too few customers to read (under {minimum})",
    "interval": "{low} – {high}",
    "no_helpdesk": "No ticket or survey to put customers in bands.",
    "columns": {
        "band": "Service band",
        "customers": "Customers at start",
        "retention_rate": "Retention rate",
        "interval": "95% interval",
        "ci_low": "95% low",
        "ci_high": "95% high",
    },
    "bands": {
        "unresolved": (
            "Unresolved",
            "A ticket created in the W days before the start and not resolved before it.",
        ),
        "dissatisfied": (
            "Dissatisfied",
            "A CSAT rating of 1–2 or an NPS score of 0–6 given in the W days before the start.",
        ),
        "sla_breached": (
            "SLA breached",
            "A ticket created in the W days before the start whose first-response or "
            "resolution SLA is breached at the start.",
        ),
        "served": ("Served", "A ticket created in the W days before the start (none of the "
                             "above)."),
        "no_ticket": ("No ticket", "Everyone else."),
    },
}

# Business hours (contract section 7) and the contact rate: the SLA clocks, business time
# beside calendar time, tickets per 100 orders (cs_analytics/report/service_time.py).
VI["kpis"].update({
    "avg_first_response_minutes": (
        "Phản hồi đầu tiên, trung bình (phút)",
        "Trung bình số phút theo lịch (mọi giờ, mọi ngày) từ lúc tạo đến phản hồi đầu tiên.",
    ),
    "avg_first_response_business_minutes": (
        "Phản hồi đầu tiên, trung bình theo giờ làm việc (phút)",
        "Cùng các yêu cầu đó, chỉ đếm giờ làm việc của nhóm, trừ ngày lễ: yêu cầu đến ngoài "
        "giờ bắt đầu tính từ lúc mở cửa kế tiếp.",
    ),
    "ticket_avg_resolution_hours": (
        "Thời gian giải quyết, trung bình (giờ)",
        "Trung bình số giờ theo lịch từ lúc tạo đến lúc giải quyết (ART).",
    ),
    "avg_resolution_business_hours": (
        "Thời gian giải quyết, trung bình theo giờ làm việc (giờ)",
        "Cùng các yêu cầu đó, chỉ đếm giờ làm việc của nhóm, trừ ngày lễ.",
    ),
    "contact_rate_per_100_orders": (
        "Yêu cầu hỗ trợ trên 100 đơn hàng",
        "100 × số yêu cầu tạo trong kỳ / số đơn hàng đặt trong kỳ (mọi trạng thái); để trống "
        "khi kỳ không có đơn hàng nào.",
    ),
})
VI.update({
    "sla_clock_note": "Đồng hồ SLA – {clocks}.",
    "sla_clock_part": "{priorities}: {clock}",
    "clock_names": {"calendar": "theo lịch (24/7)", "business": "theo giờ làm việc"},
    "priorities": {"urgent": "khẩn cấp", "high": "cao", "normal": "bình thường", "low": "thấp"},
})
EN["kpis"].update({
    "avg_first_response_minutes": (
        "First response, average (min)",
        "Mean calendar minutes (every hour of every day) from creation to the first reply.",
    ),
    "avg_first_response_business_minutes": (
        "First response, average in business hours (min)",
        "The same tickets, counting only the team's business hours, holidays excluded: a "
        "ticket that arrives after hours starts at the next opening.",
    ),
    "ticket_avg_resolution_hours": (
        "Resolution time, average (h)",
        "Mean calendar hours from creation to resolution (ART).",
    ),
    "avg_resolution_business_hours": (
        "Resolution time, average in business hours (h)",
        "The same tickets, counting only the team's business hours, holidays excluded.",
    ),
    "contact_rate_per_100_orders": (
        "Contacts per 100 orders",
        "100 × tickets created in the period / orders placed in it (any status); empty when "
        "the period has no order.",
    ),
})
EN.update({
    "sla_clock_note": "SLA clocks – {clocks}.",
    "sla_clock_part": "{priorities}: {clock}",
    "clock_names": {"calendar": "calendar clock (24/7)", "business": "business hours"},
    "priorities": {"urgent": "urgent", "high": "high", "normal": "normal", "low": "low"},
})

LABELS: dict[str, dict[str, Any]] = {"vi": VI, "en": EN}


def labels_for(lang: str) -> dict[str, Any]:
    """The label table of a language; one clear sentence for an unknown one."""
    try:
        return LABELS[lang]
    except KeyError:
        raise ValueError(
            f"Unknown report language {lang!r}: use one of {', '.join(LANGUAGES)}."
        ) from None


def kpi_name(labels: dict[str, Any], kpi: str) -> str:
    return str(labels["kpis"][kpi][0])


def kpi_definition(labels: dict[str, Any], kpi: str) -> str:
    return str(labels["kpis"][kpi][1])
