/* Deadline helper for /ppid/cara-meminta-informasi/ (progressive enhancement): recomputes the
   worked example for a date the visitor picks. It knows no law and no holidays: the steps and
   the weekday days off come from the JSON the build wrote into the page. The day a request
   arrives is day 0; a start on a day off counts from the working day before it. */
(function () {
  "use strict";
  var data = document.getElementById("tenggat-data");
  var form = document.getElementById("tenggat-form");
  var table = document.getElementById("tenggat-tabel");
  if (!data || !form || !table) return;
  var config = JSON.parse(data.textContent);
  var off = {};
  config.libur.forEach(function (d) { off[d] = true; });
  var DAYS = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];
  var MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                "September", "Oktober", "November", "Desember"];
  var message = document.getElementById("tenggat-pesan");
  var caption = document.getElementById("tenggat-judul");
  var until = parse(config.sampai);
  var FIELDS = [[form.elements.tanggal, "Tanggal permohonan"],
                [form.elements.keberatan, "Tanggal keberatan"]];

  function parse(iso) {
    var p = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return p ? new Date(Date.UTC(+p[1], +p[2] - 1, +p[3])) : null;
  }
  function iso(d) { return d.toISOString().slice(0, 10); }
  function add(start, n) {
    var d = new Date(start.getTime()), w;
    while (n > 0) {
      d.setUTCDate(d.getUTCDate() + 1);
      w = d.getUTCDay();
      if (w !== 0 && w !== 6 && !off[iso(d)]) n -= 1;
    }
    return d;
  }
  function day(d) { return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear(); }
  function label(d) { return DAYS[d.getUTCDay()] + ", " + day(d); }
  // The status line is read aloud when its text changes, so it is set only then.
  function say(text, wrong) {
    message.classList.toggle("salah", wrong);
    if (message.textContent !== text) message.textContent = text;
  }
  // Whether both dates are usable (the browser checks min, max and completeness: a year typed
  // digit by digit passes 0002 and 0020; a browser without a date picker gives a text box,
  // whose text is checked here). With `speak` (the button) it says what is wrong.
  function usable(speak) {
    var first = null;
    FIELDS.forEach(function (f, i) {
      var v = f[0].validity, when = parse(f[0].value), what = null;
      if (!v.valid && (v.rangeUnderflow || v.rangeOverflow)) {
        what = " harus antara " + day(parse(f[0].min)) + " dan " + day(parse(f[0].max)) + ".";
      } else if (!v.valid || (f[0].value && !when)) {
        what = " belum lengkap: tulis tahun-bulan-tanggal, misalnya " +
          FIELDS[0][0].defaultValue + ".";
      } else if (i && when && when < parse(FIELDS[0][0].value)) {
        what = " tidak mungkin sebelum tanggal permohonan.";
      }
      f[0].setAttribute("aria-invalid", what ? "true" : "false");
      if (what && !first) first = [f[0], f[1] + what];
    });
    if (first && speak) { say(first[1], true); first[0].focus(); }
    return !first;
  }

  function compute(speak) {
    var start = parse(form.elements.tanggal.value);
    if (!usable(speak)) return;
    var filed = parse(form.elements.keberatan.value);
    var dates = {};
    config.langkah.forEach(function (step) {
      var base = step.key === step.after ? start : dates[step.after];
      dates[step.key] = step.key === "tanggapan" && filed ? add(filed, step.days)
        : (step.days ? add(base, step.days) : base);
    });
    config.langkah.forEach(function (step) {
      var cell = table.querySelector('tr[data-langkah="' + step.key + '"] .tenggat-tanggal');
      if (!cell) return;
      var time = document.createElement("time");
      time.setAttribute("datetime", iso(dates[step.key]));
      time.textContent = label(dates[step.key]);
      cell.innerHTML = "";
      cell.appendChild(time);
    });
    caption.textContent = "Permohonan diterima " + label(start) +
      (filed ? "; keberatan dicatat " + label(filed) : "");
    say(dates[config.langkah[config.langkah.length - 1].key] > until
      ? "Perhatian: cuti bersama sesudah " + label(until) + " belum diketahui. Batas waktu " +
        "yang jatuh sesudah tanggal itu bisa lebih lambat beberapa hari."
      : "Batas waktu untuk permohonan yang diterima " + label(start) +
        " sudah dihitung ulang di tabel.", false);
  }

  form.hidden = false;
  FIELDS.forEach(function (f) {
    f[0].setAttribute("aria-describedby", "tenggat-pesan");
    f[0].addEventListener("change", function () { compute(false); });
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); compute(true); });
}());
