from .exams import Exam
from .questions import Question

__all__ = ["Exam", "Question"]
