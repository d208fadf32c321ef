"""Every write of the training app: loading the question bank, exams and spot tests."""

from .exams import exam_start, exam_submit
from .questions import BankLoad, questions_load
from .spot import spot_test_assign, spot_test_start

__all__ = ["BankLoad", "exam_start", "exam_submit", "questions_load", "spot_test_assign", "spot_test_start"]
