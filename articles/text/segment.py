"""Word segmentation with jieba, set up once per process with the gazetteer's names as a user dictionary."""

import functools
import logging
import os
import tempfile
import warnings


@functools.lru_cache(maxsize=1)
def _tokenizer():
    with warnings.catch_warnings():
        # jieba still imports pkg_resources, which recent setuptools deprecates loudly.
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # The dictionary cache lands in a folder of ours, not a shared temp file other users may own.
    cache_dir = os.environ.get("AIDMAP_CACHE_DIR") or os.path.join(tempfile.gettempdir(), f"aidmap-{os.getuid()}")
    os.makedirs(cache_dir, exist_ok=True)
    tokenizer.tmp_dir = cache_dir
    from .gazetteer import Gazetteer

    for word in Gazetteer.load().user_dictionary_words():
        tokenizer.add_word(word, freq=20000)
    return tokenizer


def words(text: str) -> list[str]:
    """jieba's precise-mode words of a short text (a clause around a figure, not a whole article)."""
    return _tokenizer().lcut(text, HMM=False)
