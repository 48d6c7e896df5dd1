"""The words of business hours (contract section 7) and the contact rate: the SLA
clocks, business time beside calendar time, tickets per 100 orders
(cs_analytics/report/service_time.py), one partial table per language that the package
adds to the language's table."""

from __future__ import annotations

from typing import Any

VI: dict[str, Any] = {
    "kpis": {
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
    },
    "sla_clock_note": "Đồng hồ SLA – {clocks}.",
    "sla_clock_part": "{priorities}: {clock}",
    "clock_names": {"calendar": "theo lịch (24/7)", "business": "theo giờ làm việc"},
    "priorities": {"urgent": "khẩn cấp", "high": "cao", "normal": "bình thường", "low": "thấp"},
}

EN: dict[str, Any] = {
    "kpis": {
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
    },
    "sla_clock_note": "SLA clocks – {clocks}.",
    "sla_clock_part": "{priorities}: {clock}",
    "clock_names": {"calendar": "calendar clock (24/7)", "business": "business hours"},
    "priorities": {"urgent": "urgent", "high": "high", "normal": "normal", "low": "low"},
}
