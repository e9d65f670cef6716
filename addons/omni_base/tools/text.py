"""Values quoted in messages."""

QUOTED_LENGTH = 40


def shortened(text, length=QUOTED_LENGTH):
    """``text`` cut to ``length`` characters, with an ellipsis when cut: a refused value
    is quoted in a message, never echoed whole."""
    return text if len(text) <= length else f"{text[:length]}…"
