"""What every cleaning worker needs, loaded once by the fork server before it forks any worker.

`flows.startup.workers` names this module as the fork server's preload: the stages, the segmenter's
dictionary and jieba's IDF table are then in memory before the first fork, and every worker
starts warm, sharing those pages copy-on-write instead of loading its own copy.
"""

import gc
import signal

import cleaners.pipeline  # noqa: F401  (the stages a worker runs)
from cleaners.keywords import load_model

load_model()
gc.freeze()  # workers' collections then skip the preloaded objects, and leave their pages shared
# Ctrl-C reaches the whole terminal's process group: the workers leave stopping to `jianggao run`,
# which lets their chunks finish and then shuts them down (the forked workers inherit this).
signal.signal(signal.SIGINT, signal.SIG_IGN)
