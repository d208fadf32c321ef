"""The downloadable import template: the Chinese headers and one example row."""

import io

from openpyxl import Workbook

from ..rules import mod11_10_check_digit
from .reading import COLUMNS


def template_workbook() -> bytes:
    """The downloadable import template: the Chinese headers and one example row."""
    from stdnum.cn import uscc

    credit_body = "91320508MA1NPB7Q3"
    licence_body = "JY2320508000001"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "食品经营主体"
    sheet.append([c.header for c in COLUMNS])
    sheet.append(
        [
            "姑苏区示范餐厅",
            credit_body + uscc.calc_check_digit(credit_body),
            licence_body + mod11_10_check_digit(licence_body[2:]),
            "餐饮服务提供者",
            "320508",
            "苏州市姑苏区人民路1号",
            "",
            "31.317000",
            "120.619000",
            "张三",
            "0512-66666666",
            "2024-01-15",
            "2029-01-14",
            "120",
            "150",
            "",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
