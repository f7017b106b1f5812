#!/usr/bin/env python3
"""The HTML report of `ecsq place` / `ecsq explain`, rendered in a real browser (headless Chromium).

    check_report.py ECSQ SOURCE_DIR WORK_DIR SCENARIO [--screenshot PATH]

SCENARIO: `sample` (a service on the bundled sample fleet), `large` (a service on a generated
5,000-instance fleet) or `explain` (`ecsq explain --summary --format html` on the sample fleet).
The report and the JSON output of the same run are both produced; the page is rendered with
--dump-dom (after its script ran) and with --screenshot, and the test checks, against the JSON:
one cell per instance, the placed instances marked with their task indices, the legend's reason
counts equal to `rejections`, the failures; and that the page names no external URL, made no
console message or script error, and still fits the window at 200% zoom (a 640-pixel-wide window
at device scale 2). Exit 77 (ctest SKIP_RETURN_CODE) when no Chromium is installed.
"""

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

SKIP = 77


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def find_chromium():
    for name in (os.environ.get("ECSQ_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def run_ecsq(ecsq, args, expected_codes=(0, 1)):
    done = subprocess.run([ecsq] + args, capture_output=True, text=True)
    if done.returncode not in expected_codes:
        fail("ecsq %s exited %d: %s" % (" ".join(args), done.returncode, done.stderr))
    return done


def chromium(browser, url, extra, timeout=180):
    """Runs headless Chromium on `url`; returns (stdout, stderr)."""
    profile = tempfile.mkdtemp(prefix="ecsq-chromium-")
    try:
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr",
                   "--v=0", "--user-data-dir=" + profile] + extra + [url]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            fail("chromium exited %d: %s" % (done.returncode, done.stderr[-2000:]))
        return done.stdout, done.stderr
    finally:
        shutil.rmtree(profile, ignore_errors=True)


class Dom(HTMLParser):
    """The facts the test reads from the rendered DOM."""

    def __init__(self):
        super().__init__()
        self.root = {}
        self.cells = []     # attributes of each .cell
        self.legend = []    # attributes of each legend entry
        self.failures = []  # data-failure of each failure item
        self.fitted = None
        self.detail = None
        self.external = []  # src/href attributes

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "html":
            self.root = a
        if "cell" in classes:
            self.cells.append(a)
        if tag == "li" and "data-category" in a or "data-placed-instances" in a:
            self.legend.append(a)
        if "data-failures" in a:
            self.failures += [int(i) for i in a["data-failures"].split(",")]
        if "data-fitted" in a:
            self.fitted = int(a["data-fitted"])
        if a.get("id") == "detail":
            self.detail = a
        for name in ("src", "href", "action", "srcset", "poster"):
            if name in a:
                self.external.append("%s=%s" % (name, a[name]))


def check_no_network(html):
    if re.search(r"(?i)\b(?:https?|wss?|ftp):", html):
        fail("the page names a network URL: %s" % re.search(r"(?i)\b(?:https?|wss?|ftp):[^\s\"']*", html).group(0))
    if re.search(r"(?i)\b(?:src|href|action|srcset)\s*=", html):
        fail("the page has a src/href attribute: everything must be inline")
    if re.search(r"(?i)@import|url\(", html):
        fail("the page's CSS loads something (@import or url())")


def render(browser, html_path, work, window="1400,1000", extra=()):
    stdout, stderr = chromium(browser, "file://" + html_path,
                              ["--virtual-time-budget=10000", "--window-size=" + window] + list(extra) + ["--dump-dom"])
    console = [line for line in stderr.splitlines() if ":CONSOLE" in line]
    if console:
        fail("the page wrote to the console (a script error?):\n" + "\n".join(console))
    dom = Dom()
    dom.feed(stdout)
    if dom.root.get("data-rendered") != "true":
        fail("the page's script did not finish (data-rendered is %r)" % dom.root.get("data-rendered"))
    if dom.root.get("data-errors") != "0":
        fail("script error: %s" % dom.root.get("data-error-text"))
    if dom.external:
        fail("elements load something: %s" % dom.external[:5])
    return dom


# Appended to a copy of the page: drives the grid with key events as a keyboard user would, and
# records in data-keyboard whether each step moved the focus (and the detail panel) as it should.
KEYBOARD_PROBE = """<script>
(function () {
  var root = document.documentElement, detail = document.getElementById("detail");
  var cells = document.querySelectorAll("#grid .cell");
  var first = document.querySelector("#grid .cell[tabindex='0']");
  function key(k) { document.activeElement.dispatchEvent(new KeyboardEvent("keydown", {key: k, bubbles: true})); }
  function shown(cell) { return detail.getAttribute("data-instance") === cell.getAttribute("data-id"); }
  first.focus();
  key("ArrowRight");
  var right = document.activeElement;
  var steps = [right === cells[1] && right.tabIndex === 0 && !first.hasAttribute("tabindex") && shown(right)];
  var top = right.getBoundingClientRect().top;
  key("ArrowDown");
  var down = document.activeElement;
  steps.push(down.classList.contains("cell") && down.getBoundingClientRect().top > top && shown(down));
  key("End");
  steps.push(document.activeElement === cells[cells.length - 1] && shown(cells[cells.length - 1]));
  key("Home");
  key("Enter");
  steps.push(document.activeElement === cells[0] && cells[0].classList.contains("selected") && shown(cells[0]));
  root.setAttribute("data-keyboard", steps.join(","));
})();
</script>"""


def check_keyboard(browser, html, html_path, work):
    probe_path = html_path.replace(".html", "-keyboard.html")
    with open(probe_path, "w") as f:
        f.write(html.replace("</body>", KEYBOARD_PROBE + "</body>"))
    dom = render(browser, probe_path, work)
    if dom.root.get("data-keyboard") != "true,true,true,true":
        fail("keyboard: ArrowRight, ArrowDown, End, Home+Enter gave %r" % dom.root.get("data-keyboard"))
    print("ok: keyboard (arrows, End, Home, Enter) moves the focus and the detail panel")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    return struct.unpack(">II", head[16:24])


def screenshot(browser, html_path, path, window, extra=()):
    chromium(browser, "file://" + html_path,
             ["--virtual-time-budget=10000", "--hide-scrollbars", "--window-size=" + window, "--screenshot=" + path] + list(extra))
    if not os.path.exists(path) or os.path.getsize(path) < 10000:
        fail("no screenshot at %s" % path)
    return png_size(path)


def fleet_ids(paths):
    ids = []
    for path in paths:
        with open(path) as f:
            ids += [i["ec2InstanceId"] for i in json.load(f)["containerInstances"]]
    return ids


def check_placement(dom, result, ids):
    cell_ids = [c["data-id"] for c in dom.cells]
    if sorted(cell_ids) != sorted(ids):
        fail("%d cells for %d instances (or other ids)" % (len(cell_ids), len(ids)))
    if dom.root.get("data-cells") != str(len(ids)):
        fail("data-cells is %s" % dom.root.get("data-cells"))
    expected = {}
    for task in result["tasks"]:
        expected.setdefault(task["ec2InstanceId"], []).append(task["index"])
    marked = {c["data-id"]: [int(t) for t in c["data-tasks"].split(",")] for c in dom.cells if "data-tasks" in c}
    if marked != expected:
        fail("placed cells %s, the JSON places %s" % (sorted(marked.items())[:5], sorted(expected.items())[:5]))
    for c in dom.cells:
        if ("placed" in c["class"].split()) != (c["data-id"] in expected):
            fail("cell %s: the 'placed' marker disagrees with the JSON" % c["data-id"])
    legend = {e["data-reason"]: int(e["data-count"]) for e in dom.legend if "data-reason" in e}
    rejections = {reason: n for reason, n in result["rejections"].items() if n > 0}
    if legend != rejections:
        fail("legend reasons %s, JSON rejections %s" % (legend, rejections))
    # Each cell's category is the legend's: the counts are the cells'.
    by_category = {}
    for c in dom.cells:
        by_category[c["data-category"]] = by_category.get(c["data-category"], 0) + 1
    for entry in dom.legend:
        if "data-category" in entry and by_category.get(entry["data-category"]) != int(entry["data-count"]):
            fail("legend %s counts %s, %s cells" % (entry["data-category"], entry["data-count"],
                                                    by_category.get(entry["data-category"])))
    placed = [e for e in dom.legend if "data-placed-instances" in e]
    if len(placed) != 1 or int(placed[0]["data-placed-tasks"]) != len(result["tasks"]) \
            or int(placed[0]["data-placed-instances"]) != len(expected):
        fail("the legend's placed entry %s disagrees with %d tasks on %d instances" % (placed, len(result["tasks"]), len(expected)))
    if dom.failures != [f["index"] for f in result["failures"]]:
        fail("failures %s, JSON %s" % (dom.failures, [f["index"] for f in result["failures"]]))
    if dom.detail is None or dom.detail.get("aria-live") != "polite":
        fail("the detail panel is not an aria-live region")
    if expected and dom.detail.get("data-instance") not in expected:
        fail("the detail panel does not start on an instance that got a task")
    print("ok: %d cells, %d placed on %d instances, legend %s, %d failures"
          % (len(cell_ids), len(result["tasks"]), len(expected), legend, len(dom.failures)))


def main():
    args = sys.argv[1:]
    screenshot_path = None
    if "--screenshot" in args:
        at = args.index("--screenshot")
        screenshot_path = os.path.abspath(args[at + 1])
        del args[at:at + 2]
    if len(args) != 4:
        sys.exit(__doc__)
    ecsq, source, work, scenario = os.path.abspath(args[0]), os.path.abspath(args[1]), os.path.abspath(args[2]), args[3]
    browser = find_chromium()
    if browser is None:
        print("SKIP: no chromium on PATH (CI installs Debian's chromium; ECSQ_CHROMIUM names another)")
        sys.exit(SKIP)
    os.makedirs(work, exist_ok=True)
    os.chdir(source)
    data = os.path.join(source, "data")
    sample = os.path.join(data, "sample-fleet.json")

    if scenario == "explain":
        expression = "attribute:ecs.instance-type =~ t3.* or attribute:ecs.os-type == windows"
        result = json.loads(run_ecsq(ecsq, ["explain", "--summary", "--format", "json", expression], (0,)).stdout)
        html = run_ecsq(ecsq, ["explain", "--summary", "--format", "html", expression], (0,)).stdout
        check_no_network(html)
        html_path = os.path.join(work, "explain-report.html")
        with open(html_path, "w") as f:
            f.write(html)
        dom = render(browser, html_path, work)
        ids = fleet_ids([sample])
        if sorted(c["data-id"] for c in dom.cells) != sorted(ids):
            fail("%d cells for %d instances" % (len(dom.cells), len(ids)))
        legend = {e["data-category"]: int(e["data-count"]) for e in dom.legend}
        summary = result["summary"]
        wanted = {k: v for k, v in (("matches", summary["matched"]), ("no-match", summary["instances"] - summary["matched"])) if v}
        if legend != wanted:
            fail("legend %s, JSON summary %s" % (legend, summary))
        print("ok: %d cells, legend %s" % (len(dom.cells), legend))
        return

    if scenario == "sample":
        fleets = [sample]
        # Relative paths (the test runs in SOURCE_DIR): the page, and the committed screenshot,
        # name the files as a user in the checkout would.
        place = ["place", "--task-definition", "data/sample-task-definition.json",
                 "--service", "data/sample-service.json", "--seed", "7"]
        window = "1400,1700"
    elif scenario == "large":
        generated = os.path.join(work, "large")
        subprocess.run([sys.executable, os.path.join(source, "tests", "browser", "generate_fleet.py"), generated, "5000"],
                       check=True)
        fleets = [os.path.join(generated, "fleet.json")]
        place = ["place", "--fleet", fleets[0], "--task-definition", os.path.join(generated, "task-definition.json"),
                 "--service", os.path.join(generated, "service.json"), "--seed", "3"]
        window = "1400,1000"
    else:
        sys.exit("unknown scenario " + scenario)

    json_run = run_ecsq(ecsq, place + ["--format", "json"])
    html_run = run_ecsq(ecsq, place + ["--format", "html"])
    if html_run.returncode != json_run.returncode:
        fail("exit %d with --format html, %d with json" % (html_run.returncode, json_run.returncode))
    result = json.loads(json_run.stdout)
    html = html_run.stdout
    check_no_network(html)
    html_path = os.path.join(work, scenario + "-report.html")
    with open(html_path, "w") as f:
        f.write(html)
    size = os.path.getsize(html_path)
    if size > 5 * 1024 * 1024:
        fail("the report is %d bytes (more than 5 MiB)" % size)
    dom = render(browser, html_path, work)
    check_placement(dom, result, fleet_ids(fleets))
    # The page records the time from its script's start (the browser's own start-up and fonts
    # excluded) to the grid laid out. The limit is one second on an idle machine; a machine busy
    # with other work (more runnable processes than cores: the load average) slows a run in
    # proportion, so the limit grows with it, and the best of three runs counts.
    # ECSQ_REPORT_RENDER_LIMIT_MS sets the limit outright.
    busy = max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))
    limit = float(os.environ.get("ECSQ_REPORT_RENDER_LIMIT_MS", str(1000 * busy)))
    times = [float(dom.root.get("data-render-ms", "inf"))]
    while min(times) > limit and len(times) < 3:
        times.append(float(render(browser, html_path, work).root.get("data-render-ms", "inf")))
    print("report: %d bytes, script and layout %s ms (limit %.0f ms, load %.1f per core)"
          % (size, ", ".join("%.1f" % t for t in times), limit, busy))
    if min(times) > limit:
        fail("rendering took %.1f ms at best (more than %.0f ms)" % (min(times), limit))
    # 200% zoom: the CSS width of a 1280-pixel window at 200% is 640 pixels.
    zoomed = render(browser, html_path, work, window="640,900", extra=["--force-device-scale-factor=2"])
    if zoomed.root.get("data-fits-width") != "true":
        fail("at 200%% zoom the page is wider than the window (data-fits-width %r)" % zoomed.root.get("data-fits-width"))
    check_placement(zoomed, result, fleet_ids(fleets))
    check_keyboard(browser, html, html_path, work)
    shot = screenshot_path or os.path.join(work, scenario + "-report.png")
    width, height = screenshot(browser, html_path, shot, window)
    print("screenshot: %s (%dx%d)" % (shot, width, height))


if __name__ == "__main__":
    main()
