"""The words of the report's "Service and retention" section
(cs_analytics/report/service_retention.py), one partial table per language that
the package adds to the language's table."""

from __future__ import annotations

from typing import Any

VI: dict[str, Any] = {
    "sections": {
        "service": "Dịch vụ và giữ chân khách hàng",
    },
    "charts": {
        "service_band_rates": "Tỷ lệ giữ chân theo nhóm dịch vụ, kỳ trọn vẹn gần nhất",
        "service_vs_no_ticket": "Giữ chân so với nhóm không cần hỗ trợ",
    },
    "kpis": {
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
    },
    "service_retention": {
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
    },
}

EN: dict[str, Any] = {
    "sections": {
        "service": "Service and retention",
    },
    "charts": {
        "service_band_rates": "Retention by service band, latest complete period",
        "service_vs_no_ticket": "Retention against customers who never needed help",
    },
    "kpis": {
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
    },
    "service_retention": {
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
    },
}
