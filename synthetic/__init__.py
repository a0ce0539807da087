"""Synthetic caseloads, templates and scans with their truth, shared by the demo, tests and benchmarks."""

from synthetic.corpus import DemoTruth, format_reference, make_corpus, make_demo_inputs
from synthetic.demo import ClosedTruth
from synthetic.files import write_image, write_pdf, write_text_pdf, write_tiff
from synthetic.pages import A4_MM, degrade, draw_continuation, draw_cover
from synthetic.people import Person, make_people
from synthetic.render import TruthCaseFile, TruthScan
from synthetic.template import write_template

__all__ = [
    "A4_MM",
    "ClosedTruth",
    "DemoTruth",
    "Person",
    "TruthCaseFile",
    "TruthScan",
    "degrade",
    "draw_continuation",
    "draw_cover",
    "format_reference",
    "make_corpus",
    "make_demo_inputs",
    "make_people",
    "write_image",
    "write_pdf",
    "write_template",
    "write_text_pdf",
    "write_tiff",
]
