/*
 * Portail Famille: progressive enhancement. Every page works without this file (plain links and form
 * posts); with it:
 * - the password rules are ticked as the person types (the server stays the judge);
 * - the planning grid is one tab stop, moved with the arrow keys (Home/End, Page Up/Down for rows);
 *   Enter, a click, a tap or a right-click on a day opens its actions in a dialog, and the answer of the
 *   day replaces the grid in place, focus back on the same day.
 */
(function () {
  'use strict';

  function passwordRules() {
    var input = document.querySelector('[data-password-input]');
    var box = document.querySelector('[data-password-rules]');
    if (!input || !box) return;
    var login = (input.getAttribute('data-login') || '').toLowerCase();
    var checks = {
      length: function (v) {
        return v.length >= 8 && v.length <= 128;
      },
      upper: function (v) {
        return /\p{Lu}/u.test(v);
      },
      lower: function (v) {
        return /\p{Ll}/u.test(v);
      },
      digit: function (v) {
        return /\d/.test(v);
      },
      login: function (v) {
        return v.length > 0 && (login.length < 4 || v.toLowerCase().indexOf(login) < 0);
      },
    };
    function update() {
      var value = input.value;
      box.querySelectorAll('li[data-rule]').forEach(function (li) {
        var check = checks[li.getAttribute('data-rule')];
        if (!check) return;
        var ok = check(value);
        li.classList.toggle('ok', ok);
        li.classList.toggle('ko', !ok && value.length > 0);
        li.querySelector('.rule-sr').textContent = value.length === 0 ? '' : ok ? ' : respectée' : ' : non respectée';
      });
    }
    input.addEventListener('input', update);
    update();
  }

  function cellsOf(table) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return Array.prototype.slice.call(row.cells).map(function (td) {
        return td.querySelector('a[data-cell]');
      });
    });
  }

  function initGrid(root) {
    var table = root.querySelector('[data-grid]');
    if (!table) return;
    var matrix = cellsOf(table);
    var links = table.querySelectorAll('a[data-cell]');
    if (links.length === 0) return;
    var start = table.querySelector('td.today a[data-cell]') || table.querySelector('a[data-cell][data-actionable]') || links[0];
    var scroller = table.closest('.grid-scroll');
    var todayCell = table.querySelector('td.today');
    if (scroller && todayCell) {
      var rowHead = table.querySelector('tbody th');
      scroller.scrollLeft = Math.max(0, todayCell.offsetLeft - (rowHead ? rowHead.offsetWidth : 0) - 8);
    }
    links.forEach(function (a) {
      a.setAttribute('tabindex', a === start ? '0' : '-1');
    });

    function position(a) {
      for (var r = 0; r < matrix.length; r++) {
        var c = matrix[r].indexOf(a);
        if (c >= 0) return { r: r, c: c };
      }
      return null;
    }
    function move(from, to) {
      if (!to) return;
      from.setAttribute('tabindex', '-1');
      to.setAttribute('tabindex', '0');
      to.focus();
    }
    function find(r, c, dr, dc) {
      for (r += dr, c += dc; r >= 0 && r < matrix.length && c >= 0 && c < matrix[r].length; r += dr, c += dc) {
        if (matrix[r][c]) return matrix[r][c];
        if (dr !== 0) {
          // up/down: the nearest day with a link in that row
          for (var d = 1; d < matrix[r].length; d++) {
            if (matrix[r][c - d]) return matrix[r][c - d];
            if (matrix[r][c + d]) return matrix[r][c + d];
          }
        }
      }
      return null;
    }
    table.addEventListener('keydown', function (event) {
      var a = event.target.closest && event.target.closest('a[data-cell]');
      if (!a) return;
      var p = position(a);
      if (!p) return;
      var row = matrix[p.r];
      var next = null;
      switch (event.key) {
        case 'ArrowRight':
          next = find(p.r, p.c, 0, 1);
          break;
        case 'ArrowLeft':
          next = find(p.r, p.c, 0, -1);
          break;
        case 'ArrowDown':
          next = find(p.r, p.c, 1, 0);
          break;
        case 'ArrowUp':
          next = find(p.r, p.c, -1, 0);
          break;
        case 'Home':
          next = row.filter(Boolean)[0];
          break;
        case 'End':
          next = row.filter(Boolean).slice(-1)[0];
          break;
        case 'ContextMenu':
          openDay(a);
          event.preventDefault();
          return;
        default:
          return;
      }
      event.preventDefault();
      move(a, next);
    });
    table.addEventListener('click', function (event) {
      var a = event.target.closest && event.target.closest('a[data-cell]');
      if (!a || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      openDay(a);
    });
    table.addEventListener('contextmenu', function (event) {
      var a = event.target.closest && event.target.closest('a[data-cell]');
      if (!a) return;
      event.preventDefault();
      openDay(a);
    });
  }

  function parse(html) {
    return new DOMParser().parseFromString(html, 'text/html');
  }

  var dialog;
  var returnTo;

  function openDay(a) {
    dialog = document.getElementById('jour-dialogue');
    if (!dialog || typeof dialog.showModal !== 'function') {
      window.location.href = a.href;
      return;
    }
    returnTo = a.closest('td') ? a.closest('td').id : null;
    fetch(a.href, { credentials: 'same-origin' })
      .then(function (r) {
        return r.text();
      })
      .then(function (html) {
        var day = parse(html).getElementById('jour');
        if (!day) {
          window.location.href = a.href;
          return;
        }
        var body = dialog.querySelector('[data-dialog-body]');
        body.replaceChildren(document.importNode(day, true));
        var back = body.querySelector('a[href*="mois="]');
        if (back) back.parentNode.remove();
        body.querySelectorAll('form').forEach(function (form) {
          form.addEventListener('submit', submitInPlace);
        });
        dialog.showModal();
        var heading = body.querySelector('h1');
        if (heading) {
          heading.setAttribute('tabindex', '-1');
          heading.focus();
        }
      })
      .catch(function () {
        window.location.href = a.href;
      });
  }

  function focusCell(id) {
    var td = id && document.getElementById(id);
    var a = td && td.querySelector('a[data-cell]');
    if (a) {
      document.querySelectorAll('a[data-cell][tabindex="0"]').forEach(function (x) {
        x.setAttribute('tabindex', '-1');
      });
      a.setAttribute('tabindex', '0');
      a.focus();
    }
  }

  function submitInPlace(event) {
    var form = event.target;
    event.preventDefault();
    var buttons = form.querySelectorAll('button');
    buttons.forEach(function (b) {
      b.disabled = true;
    });
    fetch(form.getAttribute('action') || window.location.pathname, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString(),
    })
      .then(function (r) {
        return r.text();
      })
      .then(function (html) {
        var page = parse(html);
        var planning = page.getElementById('planning');
        var current = document.getElementById('planning');
        if (!planning || !current) {
          window.location.reload();
          return;
        }
        current.replaceWith(document.importNode(planning, true));
        var notice = page.getElementById('annonce');
        var live = document.getElementById('annonce');
        if (notice && live)
          live.replaceChildren.apply(
            live,
            Array.prototype.map.call(notice.childNodes, function (n) {
              return document.importNode(n, true);
            }),
          );
        dialog.close();
        initGrid(document);
        focusCell(returnTo);
      })
      .catch(function () {
        form.submit();
      });
  }

  document.addEventListener('click', function (event) {
    if (event.target.closest && event.target.closest('[data-close]')) {
      var d = event.target.closest('dialog');
      if (d) d.close();
    }
  });
  document.addEventListener(
    'close',
    function (event) {
      if (event.target.id === 'jour-dialogue') focusCell(returnTo);
    },
    true,
  );

  // a form refused by the server: its summary of errors gets the focus, so it is read first
  var errors = document.getElementById('erreurs');
  if (errors) errors.focus();

  passwordRules();
  initGrid(document);
})();
