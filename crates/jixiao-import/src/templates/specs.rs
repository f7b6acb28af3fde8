//! What each canonical column is, for people filling a template by hand: label, whether it is
//! required, its format and an example value. The names are the canonical columns, in order
//! (a test checks they match `canonical::Kind::columns`).

use super::column::{Fmt, Req, Spec, c};
use crate::canonical::Kind;

use Fmt::*;
use Req::{No, Yes};

const SOURCE: Spec = c("source", "来源系统", "Source system", Yes, Text, "manual");

const CALLS: [Spec; 14] = [
    SOURCE,
    c("record_id", "记录编号", "Record id", Yes, Text, "C-0001"),
    c(
        "started_at",
        "开始时间",
        "Started at",
        Yes,
        DateTime,
        "2026-11-02 09:00:00",
    ),
    c(
        "employee_no",
        "坐席",
        "Agent",
        Req::When(
            "放弃或回拨时可空",
            "may be empty when abandoned or callback",
        ),
        Agent,
        "A0001",
    ),
    c(
        "business_type",
        "业务类型",
        "Business type",
        Yes,
        Code,
        "INQUIRY",
    ),
    c("customer_id", "客户编号", "Customer", No, Text, "C00000017"),
    c("outcome", "结果", "Outcome", Yes, Outcome, "answered"),
    c("wait_secs", "排队时长", "Wait", Yes, Secs, "8"),
    c("talk_secs", "通话时长", "Talk", Yes, Secs, "0:02:31"),
    c("hold_secs", "保持时长", "Hold", Yes, Secs, "0"),
    c(
        "acw_secs",
        "话后处理时长",
        "After-call work",
        Yes,
        Secs,
        "12",
    ),
    c("channel", "渠道", "Channel", No, Channel, "voice"),
    c("queue", "队列", "Queue", No, Text, "GENERAL"),
    c("transfer_to", "转接目标", "Transferred to", No, Text, ""),
];

const SURVEYS: [Spec; 6] = [
    SOURCE,
    c("record_id", "评价编号", "Survey id", Yes, Text, "S-0001"),
    c(
        "call_record_id",
        "所评通话编号",
        "Call record id",
        Yes,
        Text,
        "C-0001",
    ),
    c("employee_no", "坐席", "Agent", Yes, Agent, "A0001"),
    c(
        "answered_on",
        "评价日期",
        "Answered on",
        Yes,
        Date,
        "2026-11-02",
    ),
    c("score", "评分", "Score", Yes, Score5, "5"),
];

const QA: [Spec; 10] = [
    SOURCE,
    c("record_id", "质检编号", "Review id", Yes, Text, "Q-0001"),
    c(
        "employee_no",
        "被检坐席",
        "Agent reviewed",
        Yes,
        Agent,
        "A0001",
    ),
    c("reviewer_no", "质检员工号", "Reviewer", No, Code, "Q0090"),
    c(
        "reviewed_on",
        "质检日期",
        "Reviewed on",
        Yes,
        Date,
        "2026-11-03",
    ),
    c("score", "得分", "Score", Yes, Score100, "87.5"),
    c(
        "critical_failure",
        "致命错误",
        "Critical failure",
        Yes,
        Bool,
        "否",
    ),
    c(
        "interaction_id",
        "被检通话/会话编号",
        "Interaction reviewed",
        No,
        Text,
        "C-1001",
    ),
    c("form", "质检表", "QA form", No, Text, "语音质检表 v2"),
    c(
        "item_scores",
        "分项得分（项=分;项=分）",
        "Item scores (item=score;item=score)",
        No,
        Text,
        "greeting=10;empathy=8.5",
    ),
];

const TICKETS: [Spec; 14] = [
    SOURCE,
    c("record_id", "工单号", "Ticket number", Yes, Text, "T-0001"),
    c(
        "created_at",
        "创建时间",
        "Created at",
        Yes,
        DateTime,
        "2026-11-02 09:00:00",
    ),
    c(
        "first_response_at",
        "首次响应时间",
        "First response at",
        No,
        DateTime,
        "2026-11-02 09:12:00",
    ),
    c(
        "resolved_at",
        "解决时间",
        "Resolved at",
        No,
        DateTime,
        "2026-11-03 17:30:00",
    ),
    c("closed_at", "关闭时间", "Closed at", No, DateTime, ""),
    c(
        "reopen_count",
        "重开次数",
        "Times reopened",
        Yes,
        Count,
        "0",
    ),
    c(
        "reassignment_count",
        "转派次数",
        "Times reassigned",
        Yes,
        Count,
        "1",
    ),
    c("priority", "优先级", "Priority", Yes, Text, "P2"),
    c("category", "类别", "Category", Yes, Text, "账户问题"),
    c(
        "employee_no",
        "处理人",
        "Assignee",
        Req::When("未分派时留空", "empty while unassigned"),
        Agent,
        "A0001",
    ),
    c("sla_met", "是否达成 SLA", "SLA met", No, Bool, "是"),
    c("customer_id", "客户编号", "Customer", No, Text, "C00000017"),
    c("business_type", "业务类型", "Business type", No, Code, ""),
];

const CHATS: [Spec; 11] = [
    SOURCE,
    c("record_id", "会话编号", "Session id", Yes, Text, "S-0001"),
    c(
        "started_at",
        "开始时间",
        "Started at",
        Yes,
        DateTime,
        "2026-11-11 00:00:05",
    ),
    c("employee_no", "客服", "Agent", Yes, Agent, "A0001"),
    c("customer_id", "买家编号", "Buyer", Yes, Text, "buyer-9"),
    c("shop", "店铺", "Shop", No, Text, "旗舰店"),
    c(
        "customer_messages",
        "买家消息数",
        "Customer messages",
        Yes,
        Count,
        "6",
    ),
    c(
        "agent_replies",
        "客服回复轮数",
        "Reply rounds",
        Yes,
        Count,
        "4",
    ),
    c(
        "first_response_secs",
        "首次响应秒数",
        "First response",
        No,
        Secs,
        "12",
    ),
    c(
        "total_response_secs",
        "响应总秒数",
        "Total response time",
        Yes,
        Secs,
        "80",
    ),
    c(
        "is_inquiry",
        "是否询单",
        "Pre-sale inquiry",
        Yes,
        Bool,
        "是",
    ),
];

const ORDERS: [Spec; 9] = [
    SOURCE,
    c("record_id", "订单号", "Order number", Yes, Text, "O-0001"),
    c(
        "placed_at",
        "下单时间",
        "Placed at",
        Yes,
        DateTime,
        "2026-11-11 00:10:00",
    ),
    c(
        "paid_at",
        "付款时间",
        "Paid at",
        No,
        DateTime,
        "2026-11-11 00:11:00",
    ),
    c("amount", "订单金额", "Amount", Yes, Money, "199.90"),
    c("refunded_amount", "退款金额", "Refunded", No, Money, "0"),
    c("customer_id", "买家编号", "Buyer", Yes, Text, "buyer-9"),
    c(
        "employee_no",
        "归属客服",
        "Credited agent",
        Req::When("无人归属时留空", "empty when nobody is credited"),
        Agent,
        "A0001",
    ),
    c(
        "session_record_id",
        "促成会话编号",
        "Session that led to it",
        No,
        Text,
        "S-0001",
    ),
];

const ATTENDANCE: [Spec; 8] = [
    SOURCE,
    c("record_id", "班次编号", "Shift id", Yes, Text, "SH-0001"),
    c("date", "日期", "Date", Yes, Date, "2026-11-02"),
    c("employee_no", "员工", "Employee", Yes, Agent, "A0001"),
    c(
        "scheduled_mins",
        "排班分钟",
        "Scheduled minutes",
        Yes,
        Count,
        "480",
    ),
    c(
        "worked_mins",
        "出勤分钟",
        "Worked minutes",
        Yes,
        Count,
        "475",
    ),
    c("absent_mins", "缺勤分钟", "Absent minutes", Yes, Count, "0"),
    c("late_mins", "迟到分钟", "Late minutes", Yes, Count, "5"),
];

const WORK: [Spec; 7] = [
    SOURCE,
    c("record_id", "记录编号", "Entry id", Yes, Text, "W-0001"),
    c("date", "日期", "Date", Yes, Date, "2026-11-02"),
    c("employee_no", "员工", "Employee", Yes, Agent, "A0001"),
    c("work_type", "工作类型", "Work type", Yes, Code, "LEAD"),
    c("quantity", "数量", "Quantity", Yes, Quantity, "12"),
    c("note", "备注", "Note", No, Text, "营销线索"),
];

/// The columns of `kind`'s template, in canonical order.
pub(crate) fn specs(kind: Kind) -> &'static [Spec] {
    match kind {
        Kind::Calls => &CALLS,
        Kind::Surveys => &SURVEYS,
        Kind::Qa => &QA,
        Kind::Tickets => &TICKETS,
        Kind::Chats => &CHATS,
        Kind::Orders => &ORDERS,
        Kind::Attendance => &ATTENDANCE,
        Kind::Work => &WORK,
    }
}

/// (Chinese, English) name of a kind, for sheet titles and file names.
pub(crate) fn kind_label(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Calls => ("通话与互动记录", "Interactions"),
        Kind::Surveys => ("满意度评价", "Surveys"),
        Kind::Qa => ("质检记录", "QA reviews"),
        Kind::Tickets => ("工单", "Tickets"),
        Kind::Chats => ("在线会话", "Chat sessions"),
        Kind::Orders => ("订单", "Orders"),
        Kind::Attendance => ("考勤", "Attendance"),
        Kind::Work => ("工作量记录", "Work records"),
    }
}
