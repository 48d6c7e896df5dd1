"""The page's own words in Vietnamese (the default language): its text, the names
of periods and dates, and for every KPI its name and its one-line definition from the
contract (docs/contract.md, section 3). The sections with a module of their own keep
their words beside it."""

from __future__ import annotations

from typing import Any

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
