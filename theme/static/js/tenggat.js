/* Deadline helper for /ppid/cara-meminta-informasi/ (progressive enhancement).
   The page already shows a worked example computed at build time. This script shows the
   form and recomputes the same table for a date the visitor picks. It knows no law and no
   holidays: the steps (working days, counted from which step) and the list of non-working
   weekdays come from the JSON the build wrote into the page. Counting: the day a request
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

  function parse(iso) {
    var p = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return p ? new Date(Date.UTC(+p[1], +p[2] - 1, +p[3])) : null;
  }
  function iso(d) { return d.toISOString().slice(0, 10); }
  function working(d) { var w = d.getUTCDay(); return w !== 0 && w !== 6 && !off[iso(d)]; }
  function add(start, n) {
    var d = new Date(start.getTime()), count = 0;
    while (count < n) {
      d.setUTCDate(d.getUTCDate() + 1);
      if (working(d)) count += 1;
    }
    return d;
  }
  function label(d) {
    return DAYS[d.getUTCDay()] + ", " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " +
      d.getUTCFullYear();
  }

  var message = document.getElementById("tenggat-pesan");
  var caption = document.getElementById("tenggat-judul");
  var until = parse(config.sampai);

  function compute() {
    var start = parse(form.elements.tanggal.value);
    if (!start) { message.textContent = "Isi tanggal permohonan dengan lengkap."; return; }
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
      var d = dates[step.key];
      cell.innerHTML = "";
      var time = document.createElement("time");
      time.setAttribute("datetime", iso(d));
      time.textContent = label(d);
      cell.appendChild(time);
    });
    caption.textContent = "Permohonan diterima " + label(start) +
      (filed ? "; keberatan dicatat " + label(filed) : "");
    var last = dates[config.langkah[config.langkah.length - 1].key];
    message.textContent = last > until
      ? "Perhatian: cuti bersama sesudah " + label(until) + " belum diketahui. Batas waktu " +
        "yang jatuh sesudah tanggal itu bisa lebih lambat beberapa hari."
      : "Batas waktu sudah dihitung ulang di tabel.";
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); compute(); });
  form.elements.tanggal.addEventListener("change", compute);
  form.elements.keberatan.addEventListener("change", compute);
}());
