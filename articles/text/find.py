"""Every occurrence of a piece of text: where a figure's number stands in its paragraph or its quote."""


def find_all(text: str, needle: str) -> list[int]:
    """Start offsets of every occurrence of `needle` in `text`, overlapping ones included; [] for an empty needle."""
    starts, at = [], text.find(needle) if needle else -1
    while at != -1:
        starts.append(at)
        at = text.find(needle, at + 1)
    return starts
