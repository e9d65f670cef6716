from . import ats_buffers
