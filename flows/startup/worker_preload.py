"""What every cleaning worker needs, loaded once by the fork server before it forks any worker.

`flows.startup.workers` names this module as the fork server's preload: the stages, the segmenter's
dictionary and jieba's IDF table are then in memory before the first fork, and every worker
starts warm, sharing those pages copy-on-write instead of loading its own copy. Two small
speeches, one as text and one as a web page, then go through every stage once: the rule files,
tables and regular expressions the stages load on first use (about 0.15 s of a worker's first
input) are made here, once, while Prefect's server is still starting.
"""

import gc
import logging
import signal

from cleaners.keywords import load_model
from cleaners.near_dupes import sketch_record
from cleaners.pipeline import clean_input
from cleaners.records import dump_record
from cleaners.settings import Settings

SAMPLE_SPEECH = """在全县安全生产工作会议上的讲话
（2025年3月6日）
县长 王某某
同志们：
今天召开会议，主要任务是总结去年工作、部署今年任务。
一、提高认识，压实责任
（一）认清形势。安全生产事关群众生命财产安全，我们必须高度重视，切实抓紧抓好。
1.强化属地管理。各乡镇要落实好属地责任，做到守土有责。
二、突出重点，狠抓落实
一是抓好隐患排查，二是抓好宣传教育，确保全年不发生较大事故。
"""
SAMPLE_PAGE = (
    "<html><head><meta charset='utf-8'><title>在全县安全生产工作会议上的讲话_文库</title></head><body>"
    "<div class='nav'><a href='/'>首页</a> <a href='/wk'>文库</a></div><div class='content'>"
    + "".join(f"<p>{line}</p>" for line in SAMPLE_SPEECH.splitlines())
    + "</div><div class='footer'>版权声明：本站文章均来自网络。浏览量：45</div></body></html>"
)


def warm_up() -> int:
    """Clean the samples to YAML and sketches, so every stage has loaded what it needs; returns
    how many records they made (one each)."""
    settings, made = Settings(), 0
    samples = ((SAMPLE_SPEECH.encode("gb18030"), "warm-up.txt"), (SAMPLE_PAGE.encode(), "warm-up.html"))
    for data, name in samples:
        for record in clean_input(data, name, settings).records:
            dump_record(record)
            sketch_record(record)
            made += 1
    return made


load_model()
try:
    warm_up()
except Exception:  # a warm-up that fails only leaves each worker to load on its first input
    logging.getLogger(__name__).debug("warming up the stages failed", exc_info=True)
gc.freeze()  # workers' collections then skip the preloaded objects, and leave their pages shared
# Ctrl-C reaches the whole terminal's process group: the workers leave stopping to `jianggao run`,
# which lets their chunks finish and then shuts them down (the forked workers inherit this).
signal.signal(signal.SIGINT, signal.SIG_IGN)
