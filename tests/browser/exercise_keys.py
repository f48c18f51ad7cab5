"""Complete any course exercise in a real page with the keyboard alone, as a keyboard user would.

Only Tab, Shift+Tab, the arrow keys, Space and Enter move around and answer (plus typing letters into the
free-text exercises). The page is read (page.evaluate) to know where focus is, never clicked. Each
`complete_*` function answers its exercise correctly (the best path, for a scenario) and presses its button;
the caller checks the live region.
"""
from __future__ import annotations

from urllib.parse import unquote

from fmse_widgets.exercises.coach import strip_marks
from fmse_widgets.exercises.scenario import ScenarioRun

MAX_PRESSES = 250
# ipywidgets sends a control's change at once only when its previous change has been acknowledged by the
# kernel; later changes wait in a buffer, while a button press is sent straight away. A person pauses before
# pressing a button; so does this driver, so that the last choice reaches the kernel before the press does.
SETTLE_MS = 400
STEP_MS = 40

# Where focus is, in terms of the exercises: which exercise, which field/row inside it, what control.
FOCUS_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return {tag: null};
    const exercises = [...document.querySelectorAll('.fmse-exercise')];
    const ex = el.closest('.fmse-exercise');
    const box = el.closest('.fmse-field, .fmse-order-row, .fmse-chat-message');
    const boxes = ex ? [...ex.querySelectorAll('.fmse-field, .fmse-order-row, .fmse-chat-message')] : [];
    const label = el.closest('label') ? el.closest('label').textContent.trim() : (el.textContent || '').trim();
    return {tag: el.tagName, type: el.type || null, label, exercise: exercises.indexOf(ex),
            box: box ? boxes.indexOf(box) : -1, checked: !!el.checked, classes: el.className || '',
            selectedIndex: el.tagName === 'SELECT' ? el.selectedIndex : null};
}"""

# Is the focused element inside `target` (true), or is `target` before (-1) or after (1) it in the page?
WHERE_JS = """([exercise, selector, index]) => {
    const ex = document.querySelectorAll('.fmse-exercise')[exercise];
    const target = ex && ex.querySelectorAll(selector)[index];
    if (!target) return 'missing';
    const el = document.activeElement;
    if (el && target.contains(el)) return 'inside';
    if (!el || el === document.body) return 'after';
    return (el.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING) ? 'after' : 'before';
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUS_JS)


def focus_on(page, exercise: int, selector: str, index: int = 0) -> dict:
    """Move focus with Tab / Shift+Tab until it is inside the `index`-th `selector` of the exercise."""
    for _ in range(MAX_PRESSES):
        where = page.evaluate(WHERE_JS, [exercise, selector, index])
        if where == "missing":
            raise AssertionError(f"exercise {exercise} has no {selector} number {index}")
        if where == "inside":
            return focused(page)
        page.keyboard.press("Tab" if where == "after" else "Shift+Tab")
    raise AssertionError(f"the keyboard never reached {selector}[{index}] of exercise {exercise}: "
                         f"focus is on {focused(page)}")


def press_button(page, exercise: int, name: str) -> None:
    """Focus the exercise's button whose text is `name` and press Enter."""
    index = page.evaluate("""([exercise, name]) => {
        const ex = document.querySelectorAll('.fmse-exercise')[exercise];
        return [...ex.querySelectorAll('button')].findIndex(b => b.textContent.trim() === name);
    }""", [exercise, name])
    assert index >= 0, f"exercise {exercise} has no button {name!r}"
    focus_on(page, exercise, "button", index)
    page.wait_for_timeout(SETTLE_MS)
    page.keyboard.press("Enter")


def live_text(page, exercise: int) -> str:
    return page.evaluate("i => document.querySelectorAll('.fmse-exercise')[i].querySelector('.fmse-live').innerText",
                         exercise)


def wait_for_live_change(page, exercise: int, before: str, contains: str = "") -> str:
    page.wait_for_function("""([i, before, contains]) => {
        const t = document.querySelectorAll('.fmse-exercise')[i].querySelector('.fmse-live').innerText;
        return t !== before && t.includes(contains);
    }""", arg=[exercise, before, contains], timeout=20_000)
    return live_text(page, exercise)


def choose_radio(page, exercise: int, group: int, wanted: str) -> None:
    """Select the radio labelled `wanted` in the `group`-th radio group of the exercise (arrows and Space)."""
    state = focus_on(page, exercise, ".widget-radio-box", group)
    for _ in range(12):
        if state["label"] == wanted:
            if not state["checked"]:
                page.keyboard.press("Space")
            break
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(STEP_MS)
        state = focused(page)
    state = focused(page)
    assert state["label"] == wanted and state["checked"], (wanted, state)


def tick(page, exercise: int, n: int, wanted: bool) -> None:
    """Focus the exercise's `n`-th checkbox (Tab / Shift+Tab) and press Space if it needs to change."""
    state = focus_on(page, exercise, "input[type=checkbox]", n)
    if wanted != state["checked"]:
        page.keyboard.press("Space")
    assert focused(page)["checked"] == wanted


# --- one function per exercise type -------------------------------------------------------------------

def complete_choice(page, index: int, exercise, lang: str, tr) -> str:
    right = {strip_marks(o.text(lang)) for o in exercise.options if o.correct}
    before = live_text(page, index)
    if exercise.type == "single-choice":
        choose_radio(page, index, 0, next(iter(right)))
    else:
        for n, option in enumerate(exercise.options):
            tick(page, index, n, option.correct)
    press_button(page, index, tr.gettext("Check answer"))
    return wait_for_live_change(page, index, before, "✓")


def complete_myth_fact(page, index: int, exercise, lang: str, tr) -> str:
    before = live_text(page, index)
    for group, card in enumerate(exercise.cards):
        choose_radio(page, index, group, tr.gettext("Fact") if card.fact else tr.gettext("Myth"))
    press_button(page, index, tr.gettext("Check answers"))
    return wait_for_live_change(page, index, before, "✓")


def complete_sort(page, index: int, exercise, lang: str, tr) -> str:
    before = live_text(page, index)
    category_ids = [c.id for c in exercise.categories]
    for n, item in enumerate(exercise.items):
        state = focus_on(page, index, "select", n)
        wanted = category_ids.index(item.category) + 1  # option 0 is "Choose a category"
        for _ in range(len(category_ids) + 2):
            if state["selectedIndex"] == wanted:
                break
            page.keyboard.press("ArrowDown" if state["selectedIndex"] < wanted else "ArrowUp")
            page.wait_for_timeout(STEP_MS)
            state = focused(page)
        assert state["selectedIndex"] == wanted, state
    press_button(page, index, tr.gettext("Check answers"))
    return wait_for_live_change(page, index, before, "✓")


def step_texts(page, index: int) -> list[str]:
    return page.evaluate("""i => [...document.querySelectorAll('.fmse-exercise')[i]
        .querySelectorAll('.fmse-order-row .fmse-step-text')]
        .map(el => el.textContent.replace(/^\\s*\\d+\\.\\s*/, '').trim())""", index)


def complete_order(page, index: int, exercise, lang: str, tr) -> str:
    """Selection sort with Move up: focus follows the moved step, so Enter is pressed again and again."""
    wanted = [strip_marks(s.text(lang)) for s in exercise.steps]
    for position, text in enumerate(wanted):
        current = step_texts(page, index)
        at = current.index(text)
        if at == position:
            continue
        focus_on(page, index, ".fmse-move-up", at)
        while at > position:
            before = live_text(page, index)
            page.keyboard.press("Enter")
            wait_for_live_change(page, index, before)
            page.wait_for_function("""([i, row, text]) => {
                const rows = document.querySelectorAll('.fmse-exercise')[i].querySelectorAll('.fmse-order-row');
                const el = document.activeElement;
                return rows[row].querySelector('.fmse-step-text').textContent.includes(text)
                    && rows[row].contains(el) && el.classList.contains('fmse-move-up');
            }""", arg=[index, at - 1, text], timeout=20_000)
            at -= 1
    assert step_texts(page, index) == wanted
    before = live_text(page, index)
    press_button(page, index, tr.gettext("Check the order"))
    return wait_for_live_change(page, index, before, "✓")


def complete_scenario(page, index: int, exercise, lang: str, tr) -> str:
    """Take the best reply at every point until the scenario ends; returns the debrief."""
    run = ScenarioRun(exercise)
    while not run.finished:
        node = run.node
        labels = [strip_marks(c.text(lang)) for c in node.choices]
        page.wait_for_function("""([i, labels]) => {
            const ex = document.querySelectorAll('.fmse-exercise')[i];
            const found = [...ex.querySelectorAll('.widget-radio-box label')].map(l => l.textContent.trim());
            return JSON.stringify(found) === JSON.stringify(labels);
        }""", arg=[index, labels], timeout=20_000)
        best = next(c for c in node.choices if c.best)
        choose_radio(page, index, 0, strip_marks(best.text(lang)))
        before = live_text(page, index)
        press_button(page, index, tr.gettext("Choose"))
        run.choose(best.id)
        wait_for_live_change(page, index, before, "✓")
    page.wait_for_function("i => document.querySelectorAll('.fmse-exercise')[i].querySelector('.fmse-debrief')",
                           arg=index, timeout=20_000)
    return live_text(page, index)


def complete_chat(page, index: int, exercise, lang: str, tr) -> str:
    before = live_text(page, index)
    markable = [m for m in exercise.messages if exercise.participant(m.sender).markable]
    for n, message in enumerate(markable):
        tick(page, index, n, bool(message.sign))
    press_button(page, index, tr.gettext("Check my marks"))
    return wait_for_live_change(page, index, before, "✓")


def type_into(page, index: int, text: str) -> None:
    focus_on(page, index, "textarea", 0)
    page.keyboard.type(text)


def complete_coach(page, index: int, exercise, lang: str, tr, text: str) -> str:
    before = live_text(page, index)
    type_into(page, index, text)
    press_button(page, index, tr.gettext("Check my wording"))
    return wait_for_live_change(page, index, before)


def complete_reflection(page, index: int, exercise, lang: str, tr, text: str) -> tuple[str, str]:
    """Returns the live text and the downloaded notes (decoded from the data: link)."""
    before = live_text(page, index)
    type_into(page, index, text)
    press_button(page, index, tr.gettext("Finish"))
    said = wait_for_live_change(page, index, before, "✓")
    href = page.evaluate("i => document.querySelectorAll('.fmse-exercise')[i].querySelector('a.fmse-download')"
                         ".getAttribute('href')", index)
    assert href.startswith("data:text/plain;charset=utf-8,"), href
    return said, unquote(href.split(",", 1)[1])


def complete_knowledge_check(page, index: int, exercise, lang: str, tr) -> str:
    before = live_text(page, index)
    for group, question in enumerate(exercise.questions):
        right = [strip_marks(o.text(lang)) for o in question.options if o.correct]
        if question.type == "single-choice":
            radio_group = page.evaluate("""([i, g]) => {
                const fields = [...document.querySelectorAll('.fmse-exercise')[i].querySelectorAll('.fmse-field')];
                const boxes = [...document.querySelectorAll('.fmse-exercise')[i].querySelectorAll('.widget-radio-box')];
                return boxes.indexOf(fields[g].querySelector('.widget-radio-box'));
            }""", [index, group])
            choose_radio(page, index, radio_group, right[0])
        else:
            count = page.evaluate("([i, g]) => document.querySelectorAll('.fmse-exercise')[i]"
                                  ".querySelectorAll('.fmse-field')[g].querySelectorAll('input[type=checkbox]').length",
                                  [index, group])
            first = page.evaluate("""([i, g]) => {
                const ex = document.querySelectorAll('.fmse-exercise')[i];
                const all = [...ex.querySelectorAll('input[type=checkbox]')];
                return all.indexOf(ex.querySelectorAll('.fmse-field')[g].querySelector('input[type=checkbox]'));
            }""", [index, group])
            for n, option in zip(range(first, first + count), question.options):
                tick(page, index, n, option.correct)
    press_button(page, index, tr.gettext("Submit answers"))
    return wait_for_live_change(page, index, before, "✓")


# What the free-text exercises type: hostile markup (which must come back as text), a phrase the coach flags,
# and Welsh letters that must survive the download.
COACH_TEXT = {"en": "<b>Why did you</b> send it? <img src=x onerror=alert(1)> It's your fault.",
              "cy": "<b>Pam wnest ti</b> ei anfon? <img src=x onerror=alert(1)> Ti sydd ar fai."}
REFLECTION_TEXT = {"en": "Our DSP is on the staff noticeboard. <script>alert(1)</script> ŵ ŷ",
                   "cy": "Mae'r swyddog diogelu ar yr hysbysfwrdd. <script>alert(1)</script> ŵ ŷ"}


def complete(page, index: int, exercise, lang: str, tr) -> str:
    """Complete the `index`-th exercise on the page, whatever its type; returns the live region's new text."""
    kind = exercise.type
    if kind in ("single-choice", "multiple-choice"):
        return complete_choice(page, index, exercise, lang, tr)
    if kind == "language-coach":
        return complete_coach(page, index, exercise, lang, tr, COACH_TEXT[lang])
    if kind == "reflection":
        return complete_reflection(page, index, exercise, lang, tr, REFLECTION_TEXT[lang])[0]
    by_type = {"myth-or-fact": complete_myth_fact, "sort": complete_sort, "order": complete_order,
               "scenario": complete_scenario, "chat-spotter": complete_chat,
               "knowledge-check": complete_knowledge_check}
    return by_type[kind](page, index, exercise, lang, tr)
