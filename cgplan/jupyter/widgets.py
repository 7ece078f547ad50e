"""Interactive plan editing in JupyterLab (ipywidgets 8).

:class:`PlanEditor` shows, for one gap: a star picker per component (every
catalog star available, each labelled with its type and status, the current
choice preselected), a test-name field per success criterion, a live preview
of the plan that is rebuilt on every change, and a Save button that writes
the choices to the gap's decisions file, so later ``cgplan plan`` and
``cgplan batch`` runs honour them.

Every document-derived name shown in HTML is escaped; option labels and text
fields are plain text by construction.
"""

from __future__ import annotations

import html
import re

from cgplan.errors import CgplanError
from cgplan.extras import require
from cgplan.render.meta import without_meta_line


def star_label(star) -> str:
    """``Redis Cache — Database · Proven in production``: name, type, status (as plain text)."""
    from cgplan.jupyter.views import type_key

    status = re.split(r"\s*[(;]", star.status or "", maxsplit=1)[0].strip() or "status not stated"
    return f"{star.name} — {type_key(star.type)} · {status}"


def preview_html(markdown_text: str) -> str:
    """The plan's Markdown as HTML for the preview, raw HTML shown as text, meta line dropped."""
    from cgplan.jupyter.views import markdown_to_html

    return markdown_to_html(without_meta_line(markdown_text))


class PlanEditor:
    """Star pickers, test-name editor, live preview and Save for one gap of a loaded folder."""

    def __init__(self, construction, gap, decisions=None):
        W = require("ipywidgets", "the plan editor")

        from cgplan.plan.build import build_plan, find_gap
        from cgplan.plan.decisions import Decisions, load_decisions

        self.construction = construction
        """The loaded construction folder."""
        self.gap = gap if not isinstance(gap, str) else find_gap(construction, gap)
        """The gap being planned."""
        self.loaded = decisions if decisions is not None else load_decisions(construction, self.gap)
        """The decisions the editor started from (file, unless given)."""
        self.defaults = build_plan(construction, self.gap, Decisions())
        """The plan with no decisions: what cgplan chooses by itself."""
        self.plan = build_plan(construction, self.gap, self.loaded)
        """The plan as currently chosen."""
        self.saved_path = None
        """Where the last Save wrote, if any."""
        self._default_stars = {cp.name: [s.name for s in cp.stars] for cp in self.defaults.components}
        self._default_tests = {cc.id: cc.test for cc in self.defaults.criteria}

        options = [(star_label(s), s.name) for s in construction.stars]
        catalog = {s.name for s in construction.stars}
        self.pickers: dict[str, W.SelectMultiple] = {}
        """Component name -> its star picker."""
        picker_rows = []
        for cp in self.plan.components:
            sel = W.SelectMultiple(
                options=options,
                value=tuple(s.name for s in cp.stars if s.name in catalog),
                rows=min(max(len(options), 2), 8),
                layout=W.Layout(width="98%"),
            )
            sel.add_class("cgplan-star-picker")
            sel.observe(self._changed, names="value")
            self.pickers[cp.name] = sel
            head = W.HTML(
                f"<b>Component {cp.number}: {html.escape(cp.name)}</b>"
                f"<br><span style='color:#555'>{html.escape(cp.description)}</span>"
            )
            picker_rows.append(W.VBox([head, sel]))

        self.test_fields: dict[str, W.Text] = {}
        """Criterion id -> its test-name field."""
        test_rows = []
        for cc in self.plan.criteria:
            field = W.Text(value=cc.test, continuous_update=True, layout=W.Layout(width="98%"))
            field.add_class("cgplan-test-name")
            field.observe(self._changed, names="value")
            self.test_fields[cc.id] = field
            label = W.HTML(f"<b>{html.escape(cc.id)}</b> {html.escape(cc.text)}")
            test_rows.append(W.VBox([label, field]))

        self.preview = W.HTML(
            layout=W.Layout(max_height="640px", overflow="auto", border="1px solid #ddd", padding="0 8px")
        )
        """The rendered plan."""
        self.preview.add_class("cgplan-preview")
        self.save_button = W.Button(
            description="Save decisions",
            icon="save",
            button_style="primary",
            layout=W.Layout(width="auto", min_width="150px"),
        )
        """Writes the decisions file."""
        self.save_button.add_class("cgplan-save")
        self.save_button.on_click(lambda _b: self.save())
        self.status = W.HTML()
        """One line: unsaved changes, saved, or an error."""
        self.status.add_class("cgplan-status")

        left = W.VBox(
            [
                W.HTML("<h4>Stars per component</h4>"),
                *picker_rows,
                W.HTML("<h4>Test per success criterion</h4>"),
                *test_rows,
                W.HBox([self.save_button, self.status]),
            ],
            layout=W.Layout(width="42%"),
        )
        right = W.VBox([W.HTML("<h4>Plan preview</h4>"), self.preview], layout=W.Layout(width="58%"))
        self.widget = W.HBox([left, right])
        """The whole editor, for display."""
        self.widget.add_class("cgplan-editor")
        self._refresh(initial=True)

    # ------------------------------------------------------------------ state

    def decisions(self):
        """The decisions the widgets now express (only what differs from cgplan's own choice is kept)."""
        from cgplan.plan.decisions import ComponentDecision, Decisions

        d = Decisions()
        for name, sel in self.pickers.items():
            old = self.loaded.components.get(name)
            chosen = list(sel.value)
            stars = None if set(chosen) == set(self._default_stars.get(name, [])) else chosen
            file = old.file if old else None
            signature = old.signature if old else None
            if stars is not None or file or signature:
                d.components[name] = ComponentDecision(stars=stars, file=file, signature=signature)
        for cid, field in self.test_fields.items():
            test = field.value.strip()
            if test and test != self._default_tests.get(cid):
                d.tests[cid] = test
        return d

    def markdown(self) -> str:
        """The plan's Markdown for the current choices."""
        from cgplan.render.document import render_markdown

        return render_markdown(self.plan)

    def _changed(self, _change=None) -> None:
        self._refresh(initial=False)

    def _refresh(self, *, initial: bool) -> None:
        from cgplan.plan.build import build_plan

        try:
            self.plan = build_plan(self.construction, self.gap, self.decisions())
            self.preview.value = preview_html(self.markdown())
        except CgplanError as exc:
            self._say(f"cannot build the plan: {exc}", error=True)
            return
        if not initial:
            self._say("unsaved changes")

    def _say(self, text: str, *, error: bool = False) -> None:
        color = "#b00020" if error else "#555"
        self.status.value = f"<span style='color:{color}'>{html.escape(text)}</span>"

    def save(self):
        """Write the current choices to the gap's decisions file; returns its path."""
        from cgplan.store.decisions import save_decisions

        try:
            path = save_decisions(self.construction, self.gap, self.decisions())
        except CgplanError as exc:
            self._say(f"not saved: {exc}", error=True)
            return None
        self.saved_path = path
        try:
            shown = path.relative_to(self.construction.root)
        except ValueError:
            shown = path
        self._say(f"saved to {shown}")
        return path

    # ------------------------------------------------------------------ display

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        text = (
            f"Plan editor for gap {self.gap.number}: {self.gap.name} "
            f"({len(self.pickers)} components, {len(self.test_fields)} criteria); "
            "run the notebook in JupyterLab to use it"
        )
        if isinstance(bundle, tuple):
            data, meta = bundle
            data = {**data, "text/plain": text}
            return data, meta
        return {**(bundle or {}), "text/plain": text}
