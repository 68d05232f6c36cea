/*
 * The explorer benchmark's probe (bench/explorer.ts), injected before any other script into both pages it
 * compares, the explorer and the bare Cytoscape page, so both are timed by the same code. Plain browser
 * JavaScript injected as text: nothing from the TypeScript toolchain leaks into the page.
 *
 * window.__benchSpec (prepended by the bench): { match, nodes, edges, positions }.
 * window.__bench (read by the bench):
 *   t0      data available: the body of the first request whose URL or body contains `match` has been
 *           read completely into the page (the page then parses it itself);
 *   t1      the first requestAnimationFrame after the first Cytoscape 'render' event at which the canvas
 *           holds exactly `nodes` nodes and `edges` edges, every node at its position in `positions`;
 *   firstDrawMs, earlyDrawMs  Cytoscape's draw time of that frame, and of the frames it drew after t0
 *           before it (e.g. elements not yet at their positions);
 *   gesture(kind, frames) pans (a mouse drag on the background, one move per frame) or zooms (one wheel
 *           event per frame, half in, half out) with synthetic DOM events, and returns the intervals
 *           between animation frames and Cytoscape's own draw time of each frame;
 *   quiet(ms, max) resolves once Cytoscape has not rendered for `ms` (at most after `max`);
 *   laidOut the moment the explorer's canvas says its layout has settled (data-layout="done", set once the
 *           positions are applied) while holding exactly `nodes` nodes, after t0 (explorer only: the bench
 *           reads it when the explorer runs its real layout worker).
 */
(function () {
  var spec = window.__benchSpec;
  var bench = (window.__bench = { t0: null, t1: null, laidOut: null, viewport: null, renders: 0, lastRender: 0, earlyDrawMs: [], firstDrawMs: null });

  var realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    var body = init && typeof init.body === 'string' ? init.body : '';
    return realFetch(input, init).then(function (res) {
      if (bench.t0 !== null || (url + body).indexOf(spec.match) < 0) return res;
      return res.arrayBuffer().then(function (buf) {
        bench.t0 = performance.now();
        return new Response(buf, { status: res.status, statusText: res.statusText, headers: res.headers });
      });
    });
  };

  function complete(cy) {
    if (cy.nodes().length !== spec.nodes || cy.edges().length !== spec.edges) return false;
    var nodes = cy.nodes();
    for (var i = 0; i < nodes.length; i++) {
      var want = spec.positions[nodes[i].id()];
      var got = nodes[i].position();
      if (!want || Math.abs(want.x - got.x) > 1e-6 || Math.abs(want.y - got.y) > 1e-6) return false;
    }
    return true;
  }

  // Both pages publish their Cytoscape instance as window.__cy (the explorer does it for its e2e tests):
  // the probe listens to it from the moment it exists.
  var current = null;
  Object.defineProperty(window, '__cy', {
    configurable: true,
    get: function () {
      return current;
    },
    set: function (cy) {
      current = cy;
      var waiting = false;
      var box = cy.container();
      if (box && box.dataset) {
        new MutationObserver(function () {
          if (bench.t0 === null || bench.laidOut !== null || box.dataset.layout !== 'done' || cy.nodes().length !== spec.nodes) return;
          bench.laidOut = performance.now();
        }).observe(box, { attributes: true, attributeFilter: ['data-layout'] });
      }
      var renderer = cy.renderer();
      cy.on('render', function () {
        bench.renders++;
        bench.lastRender = performance.now();
        if (bench.t0 === null || bench.t1 !== null || waiting) return;
        var done = complete(cy);
        // Cytoscape records a frame's draw time after emitting 'render'.
        queueMicrotask(function () {
          if (done) bench.firstDrawMs = renderer.lastRedrawTime;
          else bench.earlyDrawMs.push(renderer.lastRedrawTime);
        });
        if (!done) return;
        waiting = true;
        bench.viewport = { zoom: cy.zoom(), pan: cy.pan(), width: cy.width(), height: cy.height() };
        requestAnimationFrame(function () {
          bench.t1 = performance.now();
        });
      });
    },
  });

  bench.quiet = function (ms, max) {
    var started = performance.now();
    return new Promise(function (resolve) {
      (function check() {
        var now = performance.now();
        if (now - bench.lastRender >= ms || now - started >= max) resolve(now - started);
        else setTimeout(check, 25);
      })();
    });
  };

  bench.gesture = function (kind, frames) {
    var cy = current;
    var renderer = cy.renderer();
    var container = cy.container();
    var target = container.querySelector('canvas');
    var rect = container.getBoundingClientRect();
    // Inside the fit padding, so the drag starts on the background and pans.
    var x0 = rect.left + 8;
    var y0 = rect.top + rect.height / 2;
    var radius = Math.min(rect.width, rect.height) / 4;
    var mouse = function (type, x, y) {
      target.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: y, button: 0, buttons: type === 'mouseup' ? 0 : 1, bubbles: true, cancelable: true, view: window }));
    };
    var wheel = function (deltaY) {
      target.dispatchEvent(new WheelEvent('wheel', { deltaY: deltaY, deltaMode: 0, clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2, bubbles: true, cancelable: true, view: window }));
    };
    var stamps = [];
    var draws = [];
    var panned = 0;
    var zooms = [];
    // Cytoscape emits 'render' inside its frame callback and records the frame's draw time after it.
    var onRender = function () {
      queueMicrotask(function () {
        draws.push(renderer.lastRedrawTime);
      });
    };
    var startPan = { x: cy.pan().x, y: cy.pan().y };
    cy.on('render', onRender);
    if (kind === 'pan') mouse('mousedown', x0, y0);
    return new Promise(function (resolve) {
      var k = 0;
      var step = function (ts) {
        stamps.push(ts);
        k++;
        if (k <= frames) {
          if (kind === 'pan') {
            var a = (2 * Math.PI * k) / frames;
            mouse('mousemove', x0 + radius - radius * Math.cos(a), y0 + radius * Math.sin(a));
            var p = cy.pan();
            panned = Math.max(panned, Math.hypot(p.x - startPan.x, p.y - startPan.y));
          } else {
            wheel(k <= frames / 2 ? -10 : 10);
            zooms.push(cy.zoom());
          }
          requestAnimationFrame(step);
        } else {
          if (kind === 'pan') mouse('mouseup', x0, y0);
          cy.off('render', onRender);
          var intervals = [];
          for (var i = 1; i < stamps.length; i++) intervals.push(stamps[i] - stamps[i - 1]);
          resolve({ frameMs: intervals, drawMs: draws, panned: panned, zoomMax: Math.max.apply(null, zooms.concat([cy.zoom()])) });
        }
      };
      requestAnimationFrame(step);
    });
  };
})();
