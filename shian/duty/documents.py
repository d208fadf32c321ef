"""The three Order 60 records as A4 PDFs in Chinese, laid out as the templates regulations.md §3 describes: the
每日食品安全检查记录, the 每周食品安全排查治理报告 and the 每月食品安全调度会议纪要. Drawn as the inspection documents
are (shian/inspection/documents.py)."""

from django.utils import timezone, translation
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from shian.inspection.documents import (
    BODY,
    CELL,
    CELL_CENTER,
    FAILED_SHADE,
    HEADING,
    NOTE,
    SHADE,
    TABLE_STYLE,
    TITLE,
    WIDTH,
    build_pdf,
    cn_date,
    facts_table,
    para,
)
from shian.registry.placard import LANGUAGE, register_fonts

from .choices import Assessment, DutyRole, ProblemStatus
from .rules import period_end

DAILY_TITLE = "每日食品安全检查记录"
WEEKLY_TITLE = "每周食品安全排查治理报告"
MONTHLY_TITLE = "每月食品安全调度会议纪要"
ROLE_TEXT = {DutyRole.PRINCIPAL: "主要负责人", DutyRole.DIRECTOR: "食品安全总监", DutyRole.OFFICER: "食品安全员"}
ASSESSMENT_TEXT = {
    Assessment.CONTROLLED: "风险可控，无较大隐患",
    Assessment.HAZARDS: "存在隐患，需尽快采取防范措施",
    Assessment.SERIOUS: "存在严重隐患，需尽快采取措施并请主要负责人重视",
}
ORDER_60 = "依据《企业落实食品安全主体责任监督管理规定》（国家市场监督管理总局令第60号）"


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _signed(record) -> str:
    return f"已签署：{_moment(record.signed_at)}" if record.signed_at else "草稿（未签署）"


def _grid(data: list, widths: list, shaded_rows: list[int] = ()) -> Table:
    style = [*TABLE_STYLE, ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("BACKGROUND", (0, row), (-1, row), FAILED_SHADE) for row in shaded_rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _pdf(story: list, *, title: str, operator, subject: str) -> bytes:
    return build_pdf(story, title=f"{title} · {operator.name}", subject=subject, footer=f"{title} · {operator.name}")


def daily_check_pdf(check, lines) -> bytes:
    """The day's check: header, one row per item (序号, 检查事项, 是/否, 存在主要问题, 处置结果), the zero-risk note."""
    register_fonts()
    with translation.override(LANGUAGE):
        operator = check.operator
        facts = [
            ("单位名称", operator.name),
            ("检查人", check.recorded_by.display_name),
            ("岗位", ROLE_TEXT.get(check.inspector_role, "—")),
            ("检查日期", cn_date(check.day)),
            ("风险管控清单", f"{check.control_list.name}（第{check.control_list.version}版）"),
        ]
        data = [[para(h, CELL_CENTER) for h in ("序号", "检查事项", "是/否", "存在主要问题", "处置结果")]]
        failed = []
        for line in lines:
            answer = {True: "是", False: "否", None: "—"}[line.ok]
            data.append(
                [
                    para(line.point.number, CELL_CENTER),
                    para(line.point.question, CELL),
                    para(answer, CELL_CENTER),
                    para(line.problem, CELL),
                    para(line.action, CELL),
                ]
            )
            if line.ok is False:
                failed.append(len(data) - 1)
        story = [para(DAILY_TITLE, TITLE), Spacer(1, 4 * mm), facts_table(facts), Spacer(1, 3 * mm)]
        story.append(_grid(data, [14 * mm, 70 * mm, 13 * mm, 39 * mm, WIDTH - 136 * mm], failed))
        story.append(Spacer(1, 3 * mm))
        if check.signed_at and not check.problems:
            story.append(para("零风险报告：今日检查未发现食品安全风险隐患。", BODY))
        elif check.signed_at:
            story.append(
                para(f"今日检查发现问题 {check.problems} 项，已按上表处置并报告食品安全总监或主要负责人。", BODY)
            )
        story.append(para(f"检查人签字：{check.recorded_by.display_name}　　{_signed(check)}", BODY))
        story.append(para(ORDER_60, NOTE))
        return _pdf(story, title=DAILY_TITLE, operator=operator, subject=f"{operator.name} {cn_date(check.day)}")


def weekly_review_pdf(review, problems) -> bytes:
    """The weekly report: header, 一 problems found (risk-point numbers, last week's followed up), 二 rectification
    lines, 三 the assessment, the reporter."""
    register_fonts()
    with translation.override(LANGUAGE):
        operator = review.operator
        end = period_end("weekly", review.week)
        facts = [
            ("单位名称", operator.name),
            ("报送", review.recipient or "—"),
            ("抄送", review.copy_to or "—"),
            ("排查时段", f"{cn_date(review.week)} 至 {cn_date(end)}"),
        ]
        story = [para(WEEKLY_TITLE, TITLE), Spacer(1, 4 * mm), facts_table(facts)]
        story.append(para("一、本周排查发现问题情况", HEADING))
        found = [[para(h, CELL_CENTER) for h in ("序号", "风险点", "问题", "发现日期", "来源")]]
        for n, p in enumerate(problems, start=1):
            origin = "上周遗留" if p.carried_from_id else ("日管控" if p.daily_line_id else "周排查")
            found.append(
                [
                    para(str(n), CELL_CENTER),
                    para(f"【{p.point_number}】" if p.point_number else "—", CELL_CENTER),
                    para(p.description, CELL),
                    para(cn_date(p.found_on) if p.found_on else "—", CELL_CENTER),
                    para(origin, CELL_CENTER),
                ]
            )
        if problems:
            story.append(_grid(found, [12 * mm, 22 * mm, 88 * mm, 26 * mm, WIDTH - 148 * mm]))
        else:
            story.append(para("本周未发现食品安全风险隐患。", BODY))
        if review.analysis:
            story.append(para(review.analysis, BODY))
        story.append(para("二、整改情况和措施", HEADING))
        lines = [[para(h, CELL_CENTER) for h in ("序号", "整改措施", "责任人", "整改时限", "整改状态")]]
        for n, p in enumerate(problems, start=1):
            status = f"已整改（{cn_date(p.fixed_on)}）" if p.status == ProblemStatus.FIXED else "整改中"
            lines.append(
                [
                    para(str(n), CELL_CENTER),
                    para(p.measure or "—", CELL),
                    para(p.owner or "—", CELL_CENTER),
                    para(cn_date(p.deadline) if p.deadline else "—", CELL_CENTER),
                    para(status, CELL_CENTER),
                ]
            )
        if problems:
            story.append(_grid(lines, [12 * mm, 86 * mm, 24 * mm, 26 * mm, WIDTH - 148 * mm]))
        else:
            story.append(para("无。", BODY))
        story.append(para("三、本周食品安全管理情况评价", HEADING))
        for value, text in ASSESSMENT_TEXT.items():
            story.append(para(f"{'☑' if review.assessment == value else '☐'} {text}", BODY))
        role = ROLE_TEXT.get(review.reporter_role, "")
        story.append(Spacer(1, 3 * mm))
        story.append(para(f"报告人（{role}）：{review.recorded_by.display_name}　　{_signed(review)}", BODY))
        story.append(para(ORDER_60, NOTE))
        return _pdf(story, title=WEEKLY_TITLE, operator=operator, subject=f"{operator.name} {cn_date(review.week)}")


def monthly_meeting_pdf(meeting, priorities) -> bytes:
    """The minutes: time, place, chair, attendees, the director's report, hazards, open issues and decisions, next
    month's priorities with owners and deadlines, signatures."""
    register_fonts()
    with translation.override(LANGUAGE):
        operator = meeting.operator
        facts = [
            ("单位名称", operator.name),
            ("会议时间", _moment(meeting.held_at)),
            ("会议地点", meeting.place),
            ("主持人", meeting.chair),
            ("参会人员", meeting.attendees),
        ]
        story = [para(MONTHLY_TITLE, TITLE), Spacer(1, 4 * mm), facts_table(facts)]
        sections = [
            ("一、食品安全总监工作汇报", meeting.director_report),
            ("二、风险隐患排查整治情况", meeting.hazards),
            ("三、存在的问题", meeting.open_issues),
            ("四、会议决定事项", meeting.decisions),
        ]
        for heading, text in sections:
            story += [para(heading, HEADING), para(text or "无。", BODY)]
        story.append(para("五、下月工作重点", HEADING))
        data = [[para(h, CELL_CENTER) for h in ("序号", "工作重点", "责任人", "完成时限")]]
        for n, p in enumerate(priorities, start=1):
            data.append(
                [
                    para(str(n), CELL_CENTER),
                    para(p.text, CELL),
                    para(p.owner, CELL_CENTER),
                    para(cn_date(p.deadline), CELL_CENTER),
                ]
            )
        story.append(_grid(data, [12 * mm, 100 * mm, 28 * mm, WIDTH - 140 * mm]))
        story.append(Spacer(1, 4 * mm))
        recorder = meeting.recorder or meeting.recorded_by.display_name
        story.append(
            KeepTogether(
                [
                    para(f"主要负责人签字：{meeting.chair}　　记录人：{recorder}", BODY),
                    para(_signed(meeting), BODY),
                    para(ORDER_60, NOTE),
                ]
            )
        )
        month = f"{meeting.month.year}年{meeting.month.month}月"
        return _pdf(story, title=MONTHLY_TITLE, operator=operator, subject=f"{operator.name} {month}")
