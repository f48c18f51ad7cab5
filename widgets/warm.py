"""Warm pages under `fmse-course serve`: a few pages' kernels started and run in advance, at most N at once.

Voilà can keep, for each notebook, a pool of kernels that have already started and run the page up to the
point where it needs its visitor (Voilà's "preheating": `VoilaKernelManager`). Every course page's first cell
imports what the page needs and then calls `start_page()`, which waits there for the request
(`course_page.wait_for_visitor`); opening a warm page only runs the cells after that. Which pages are kept warm
is decided here, within a budget of N kernels (`fmse-course serve --warm N`, default `DEFAULT_WARM`):

1. the landing page (everyone starts there);
2. the next module, in the learner's language, of the pages opened most recently (`MAX_NEXT` of them): a
   learner reading module 2 is likely to press "Next" to module 3;
3. the first module in each language (where the landing page's "Start" link goes);
4. the safeguarding lead's dashboard in each language;
5. then every other module, in course order, the two languages in turn.

The first N pages of that list keep one warm kernel each; the rest none. When a page is opened its "next" moves
to the front of part 2, so the plan changes: pages that leave the first N lose their waiting kernel (it is shut
down at once: nothing has run in it for anyone), pages that enter get one. A warm kernel belongs to nobody
until a page takes it: then the page handler claims it for the browser session (widgets/kernels.py), and the
per-session limits and culling apply to it as to any other. Waiting kernels are never culled (Voilà skips
them) and are not counted against any session.

Memory: a warm kernel waiting for its page measured 56-61 MiB resident (benchmarks/pages.py, 6 December
2026; psutil, 7 December), except the dashboard's: it loads pandas and the case data and builds its Case patterns
tab before its visitor (prebuild.py), and measured 116 MiB waiting (psutil RSS, sample data, 7 December 2026).
The default of 8 (two of them dashboards) is so about 0.6 GB on top of the pages in use, a fair share of an
8 GB laptop. `--warm 0` turns
warming off (a kernel is started for each page view, as stock Voilà does).
"""
from __future__ import annotations

import asyncio

from .course import PageInfo, pages

DEFAULT_WARM = 8
MAX_NEXT = 3          # most recent "next module" predictions kept ahead of the fixed part of the plan
# The request a waiting kernel is released with when it is no longer wanted: a Voilà page with no learner.
RELEASE = {"SERVER_SOFTWARE": "voila/warm-page-released", "QUERY_STRING": "", "SCRIPT_NAME": "", "PATH_INFO": ""}
FILL_DELAY = 3.0      # seconds before a used or newly planned warm kernel is started: the page just opened
                      # has the CPU first (starting a kernel costs one to two seconds of it)


def next_module(path: str, everything: list[PageInfo]) -> str | None:
    """The module after `path` in its language (what its "Next" link opens), or None."""
    here = next((p for p in everything if p.path == path), None)
    if here is None or here.kind != "module":
        return None
    sequence = [p for p in everything if p.lang == here.lang and p.kind == "module"]
    i = sequence.index(here)
    return sequence[i + 1].path if i + 1 < len(sequence) else None


class WarmPlan:
    """Which pages keep a warm kernel, within `budget` (pure logic: no kernels here)."""

    def __init__(self, budget: int, everything: list[PageInfo] | None = None):
        self.budget = max(0, budget)
        self.pages = everything if everything is not None else pages()
        self.recent: list[str] = []   # predicted next modules, most recent first

    def fixed(self) -> list[str]:
        """Parts 1 and 3-5 of the order (module notes)."""
        by_kind = lambda kind, lang: [p.path for p in self.pages if p.kind == kind and p.lang == lang]  # noqa: E731
        landing = [p.path for p in self.pages if p.kind == "landing"]
        firsts = [m[0] for m in (by_kind("module", "cy"), by_kind("module", "en")) if m]
        dashboards = by_kind("dashboard", "en") + by_kind("dashboard", "cy")
        welsh, english = by_kind("module", "cy"), by_kind("module", "en")
        rest = [path for pair in zip(welsh, english) for path in pair]
        rest += welsh[len(english):] + english[len(welsh):]
        return landing + firsts + dashboards + rest

    def order(self) -> list[str]:
        fixed = self.fixed()
        wanted = fixed[:1] + self.recent + fixed[1:]
        return list(dict.fromkeys(wanted))  # each page once, first place kept

    def warm(self) -> list[str]:
        """The pages that keep a warm kernel now, most wanted first."""
        return self.order()[:self.budget]

    def sizes(self) -> dict[str, int]:
        """Pool size for every page (1 or 0); they add up to at most the budget."""
        kept = set(self.warm())
        return {p.path: (1 if p.path in kept else 0) for p in self.pages}

    def opened(self, path: str) -> bool:
        """A page was opened: its next module goes to the front of the predictions, and the page itself leaves
        them (its learner is on it now). True if the plan changed."""
        before = self.warm()
        if path in self.recent:
            self.recent.remove(path)
        following = next_module(path, self.pages)
        if following is not None:
            if following in self.recent:
                self.recent.remove(following)
            self.recent.insert(0, following)
            del self.recent[MAX_NEXT:]
        return self.warm() != before


def pool_config(budget: int, fill_delay: float = FILL_DELAY):
    """Voilà's configuration for warm pages (`budget` 0: none)."""
    from traitlets.config import Config

    config = Config()
    if budget <= 0:
        return config
    plan = WarmPlan(budget)
    config.VoilaConfiguration.preheat_kernel = True
    config.VoilaConfiguration.default_pool_size = 0
    config.VoilaKernelManager.kernel_pools_config = {
        "default": {"pool_size": 0},
        **{path: {"pool_size": size} for path, size in plan.sizes().items() if size},
    }
    config.VoilaKernelManager.fill_delay = fill_delay
    return config


def warm_kernel_count(manager) -> int:
    """Kernels waiting in Voilà's pools (started or starting), whatever their page."""
    return sum(len(pool) for pool in getattr(manager, "_pools", {}).values())


async def drop_waiting(manager, notebook: str, keep: int, *, release: bool = True) -> int:
    """Shut down the waiting kernels of `notebook` beyond `keep` (newest first); how many. `release`: let each
    one's waiting cell end first (the server goes on running); without, shut down at once (the server stops)."""
    from jupyter_core.utils import ensure_async

    pool = manager._pools.get(notebook, [])
    dropped = 0
    while len(pool) > keep:
        task = pool.pop()
        dropped += 1
        if not task.done():
            task.cancel()  # a kernel it already started is shut down with the rest by shutdown_all, or culled
            continue
        if task.cancelled() or task.exception() is not None:
            continue
        content = task.result()
        render = content.get("task")
        renderer = content.get("renderer")
        if renderer is not None:
            renderer.stop_generator = True  # run no cell after the one it waits in
        kernel_id = content.get("kernel_id")
        if release and render is not None and not render.done() and kernel_id in manager:
            # It waits in the page's first cell for its request. Shut down now (or interrupted), Voilà would log
            # that cell failing, with a traceback, in the terminal: release the wait with an empty request instead
            # (nobody: the page resolves no learner and records nothing), let the cell end and the render stop
            # after it (stop_generator), then shut the kernel down.
            from voila.request_info_handler import RequestInfoSocketHandler

            RequestInfoSocketHandler.send_updates({"kernel_id": kernel_id, "payload": RELEASE})
            await asyncio.wait([render], timeout=10)
        if render is not None and not render.done():
            render.cancel()
        if kernel_id in manager:
            await ensure_async(manager.shutdown_kernel(kernel_id, now=True))
    return dropped


async def drop_all_waiting(manager) -> int:
    """Shut down every kernel still waiting in a pool (the server is stopping); how many."""
    dropped = 0
    for notebook in list(getattr(manager, "_pools", {})):
        dropped += await drop_waiting(manager, notebook, 0, release=False)
    return dropped


class Warming:
    """The plan applied to a live kernel manager (one with Voilà's pools)."""

    def __init__(self, manager, plan: WarmPlan, fill_delay: float = FILL_DELAY):
        self.manager, self.plan, self.fill_delay = manager, plan, fill_delay

    def opened(self, path: str) -> None:
        if self.plan.opened(path):
            asyncio.ensure_future(self.apply())

    async def apply(self, delay: float | None = None) -> None:
        """Make the pools match the plan: shrink first (memory stays within the budget), then grow."""
        sizes = self.plan.sizes()
        config = dict(self.manager.kernel_pools_config)
        for path, size in sizes.items():
            config[path] = {**config.get(path, {}), "pool_size": size}
        self.manager.kernel_pools_config = config
        for path, size in sizes.items():
            if len(self.manager._pools.get(path, [])) > size:
                await drop_waiting(self.manager, path, size)
        for path, size in sizes.items():
            if size and len(self.manager._pools.get(path, [])) < size:
                self.manager.fill_if_needed(delay=self.fill_delay if delay is None else delay, notebook_name=path)


def notebook_of(request_path: str, base_url: str = "/") -> str | None:
    """`/voila/render/en/01-context.ipynb` -> `en/01-context.ipynb`."""
    marker = "voila/render/"
    i = request_path.find(marker)
    return request_path[i + len(marker):] if i >= 0 else None

