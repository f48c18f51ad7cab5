/*
 * fmse: the course pages' own front end (issue 22), in place of Voilà's JupyterLab application.
 *
 * A course page is HTML that Voilà has already rendered on the server: markdown as HTML, and each code cell's
 * outputs as <script type="application/vnd.voila.cell-output+json"> tags. What the browser must still do:
 *   1. connect to the page's kernel (its id is in script#jupyter-config-data) over Jupyter's websocket;
 *   2. fetch the state of every widget from the kernel (ipywidgets' control comm) and build their models;
 *   3. turn each cell-output tag into DOM: a widget view, or HTML / an image / text;
 *   4. show the cells, and tell the server when the page is left (so its kernel closes at once).
 * Voilà's own voila.js does the same through a whole JupyterLab application (about 60 scripts, a plugin
 * system, federated extensions, themes, a kernel lookup before connecting): about 0.45 s of a warm page's 0.75 s
 * before it even opens the websocket (docs/decisions.md). This does only the four steps, with the same widget
 * code (@jupyter-widgets/base, controls, base-manager) and the same kernel client (@jupyterlab/services), and
 * leaves the same DOM (.jp-OutputArea-output.lm-Panel holding each widget), so course.js, kernel-notice.js,
 * course.css and the tests see the page they always saw.
 *
 * Built by `npm run build:page` (esbuild) into widgets/jupyter/voila/templates/fmse/static/page.js and page.css;
 * tests/test_page_bundle.py checks that the built files are those these sources make.
 */
import { PageConfig, URLExt } from "@jupyterlab/coreutils";
import { KernelConnection } from "@jupyterlab/services/lib/kernel/default";
import { ServerConnection } from "@jupyterlab/services/lib/serverconnection";
import * as base from "@jupyter-widgets/base";
import * as controls from "@jupyter-widgets/controls";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import { Panel, Widget } from "@lumino/widgets";

import "@jupyter-widgets/base/css/index.css";
import "@jupyter-widgets/controls/css/widgets-base.css";

const WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";
const OUTPUT_SCRIPT = 'script[type="application/vnd.voila.cell-output+json"]';
// The mime types a course page's outputs use, best first (as JupyterLab's rendermime prefers them).
const ORDER = [WIDGET_VIEW, "text/html", "image/svg+xml", "image/png", "image/jpeg", "text/plain"];
const MODULES = { "@jupyter-widgets/base": base, "@jupyter-widgets/controls": controls };

/* The page's wording (fmse_i18n.html.j2, script#fmse-i18n), in the page's language. */
function strings() {
  const el = document.getElementById("fmse-i18n");
  try {
    return el ? JSON.parse(el.textContent) : {};
  } catch (e) {
    return {};
  }
}

/* ipywidgets' model and view classes for one kernel connection; only the widgets that ship with ipywidgets (the
   course has no others). */
class CourseWidgetManager extends ManagerBase {
  constructor(kernel) {
    super();
    this.kernel = kernel;
    kernel.registerCommTarget(this.comm_target_name, (comm, msg) => {
      this.handle_comm_open(new base.shims.services.Comm(comm), msg).catch((error) => console.error(error));
    });
  }

  async loadClass(className, moduleName, moduleVersion) {
    const module = MODULES[moduleName];
    const cls = module && module[className];
    if (!cls) {
      throw new Error(`Widget class ${moduleName}@${moduleVersion} ${className} is not part of this page.`);
    }
    return cls;
  }

  async _create_comm(targetName, modelId, data, metadata, buffers) {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) {
      comm.open(data, metadata, buffers);
    }
    return new base.shims.services.Comm(comm);
  }

  async _get_comm_info() {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === "ok" ? reply.content.comms : {};
  }

  /* Every widget the kernel holds: one request on ipywidgets' control comm (ManagerBase._loadFromKernel). */
  load() {
    return this._loadFromKernel();
  }
}

function preferred(data) {
  return ORDER.find((mime) => data && data[mime] !== undefined);
}

function textOf(value) {
  return Array.isArray(value) ? value.join("") : String(value);
}

/* A non-widget output as JupyterLab's renderers draw it (same classes, so the stock and course CSS apply). */
function renderData(mime, value) {
  const node = document.createElement("div");
  node.className = "lm-Widget jp-OutputArea-output";
  node.setAttribute("data-mime-type", mime);
  if (mime === "text/html") {
    node.classList.add("jp-RenderedHTMLCommon", "jp-RenderedHTML");
    node.innerHTML = textOf(value);
  } else if (mime === "image/svg+xml") {
    node.classList.add("jp-RenderedSVG");
    node.innerHTML = textOf(value);
  } else if (mime === "image/png" || mime === "image/jpeg") {
    node.classList.add("jp-RenderedImage");
    const img = document.createElement("img");
    img.src = `data:${mime};base64,${textOf(value).replace(/\n/g, "")}`;
    img.alt = "";
    node.appendChild(img);
  } else {
    node.classList.add("jp-RenderedText");
    const pre = document.createElement("pre");
    pre.textContent = textOf(value);
    node.appendChild(pre);
  }
  return node;
}

/* A widget output: a lumino Panel that says "Loading…" until its view is built, as JupyterLab's WidgetRenderer. */
function widgetOutput(container, source, models, t) {
  const panel = new Panel();
  panel.addClass("jp-OutputArea-output");
  panel.node.setAttribute("data-mime-type", WIDGET_VIEW);
  panel.node.textContent = t.widget_loading || "Loading…";
  Widget.attach(panel, container);
  return models.then(async (manager) => {
    if (!source || source.model_id === "") {
      panel.hide();
      return;
    }
    let view;
    try {
      if (!manager || !manager.has_model(source.model_id)) {
        throw new Error(`widget model ${source.model_id} not found`);
      }
      const model = await manager.get_model(source.model_id);
      view = await manager.create_view(model);
    } catch (error) {
      console.error(error);
      panel.node.textContent = t.widget_error || "This part of the page could not be shown.";
      panel.addClass("jupyter-widgets");
      return;
    }
    panel.node.textContent = "";
    panel.addWidget(view.luminoWidget);
    view.luminoWidget.disposed.connect(() => {
      panel.hide();
      source.model_id = "";
    });
  });
}

function showCells() {
  window.themeLoaded = true;
  if (typeof window.display_cells === "function") {
    window.display_cells();
  }
}

function connect(settings, kernelId) {
  const kernel = new KernelConnection({
    model: { id: kernelId, name: "python3" },
    serverSettings: settings,
    handleComms: true,
  });
  // Leaving the page: the server closes its kernel straight away (widgets/kernels.py ShutdownHandler) rather
  // than after its grace time. Voilà's front end sends the same beacon.
  window.addEventListener("beforeunload", () => {
    try {
      navigator.sendBeacon(URLExt.join(settings.baseUrl, "voila/api/shutdown", kernelId));
    } catch (e) {
      /* the server's grace time closes it */
    }
  });
  return kernel;
}

export async function main() {
  const t = strings();
  const kernelId = PageConfig.getOption("kernelId");
  const settings = ServerConnection.makeSettings({
    baseUrl: PageConfig.getBaseUrl(),
    wsUrl: PageConfig.getWsUrl(),
  });
  const kernel = kernelId ? connect(settings, kernelId) : null;
  const manager = kernel ? new CourseWidgetManager(kernel) : null;
  // Models: every widget's state from the kernel, once. A page with no kernel (or one that cannot be reached)
  // still shows its text, and each widget says it could not be shown.
  const models = manager
    ? manager.load().then(() => manager, (error) => {
      console.error("The page could not fetch its widgets from the kernel:", error);
      return manager;
    })
    : Promise.resolve(null);

  const drawn = [];
  document.querySelectorAll(OUTPUT_SCRIPT).forEach((script) => {
    const container = script.parentElement;
    let output;
    try {
      output = JSON.parse(script.textContent);
    } catch (error) {
      console.error("A cell output could not be read:", error);
      script.remove();
      return;
    }
    script.remove();
    const mime = preferred(output.data);
    if (!mime || !container) {
      return;
    }
    if (mime === WIDGET_VIEW) {
      drawn.push(widgetOutput(container, output.data[mime], models, t));
    } else {
      container.appendChild(renderData(mime, output.data[mime]));
    }
  });
  showCells();
  await Promise.all(drawn);
  // Every widget drawn or given up on (course.js's data-fmse-ready comes once the page has settled as well).
  document.documentElement.setAttribute("data-fmse-widgets", "drawn");
}

main().catch((error) => {
  console.error(error);
  showCells();
});
