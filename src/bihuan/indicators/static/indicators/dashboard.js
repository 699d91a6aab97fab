/* 指标看板: the trend lines and the team comparison bars, drawn with the vendored ECharts from the
   data the page passes with json_script. A click on a point or bar opens the cases behind it. */
(function () {
  "use strict";
  var COLOURS = ["#1d5aa6", "#b45309", "#167a48", "#7c3aed", "#0f766e", "#b42318"];

  function read(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function valueOf(point) {
    return { value: point.value === null ? "-" : point.value, url: point.url };
  }

  function openCases(chart) {
    chart.on("click", function (params) {
      if (params.data && params.data.url) window.location.href = params.data.url;
    });
  }

  function draw(box, option) {
    var chart = echarts.init(box);
    chart.setOption(option);
    openCases(chart);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function trends(data) {
    data.charts.forEach(function (spec) {
      var box = document.getElementById(spec.id);
      if (!box) return;
      draw(box, {
        color: COLOURS,
        tooltip: { trigger: "axis" },
        legend: { show: spec.series.length > 1, top: 0 },
        grid: { left: 44, right: 16, top: spec.series.length > 1 ? 30 : 14, bottom: 24 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", name: spec.unit, scale: true },
        series: spec.series.map(function (series) {
          return { name: series.name, type: "line", connectNulls: false, symbolSize: 7, data: series.points.map(valueOf) };
        })
      });
    });
  }

  function comparison(data) {
    var pick = document.getElementById("dashboard-compare-indicator");
    var charts = data.groups.map(function (group) {
      var box = document.getElementById(group.id);
      return box ? { group: group, chart: draw(box, {}) } : null;
    }).filter(Boolean);

    function show(code) {
      charts.forEach(function (item) {
        var indicator = item.group.indicators.filter(function (i) { return i.code === code; })[0];
        if (!indicator) return;
        item.chart.setOption({
          color: COLOURS,
          tooltip: { trigger: "axis" },
          grid: { left: 48, right: 16, top: 30, bottom: 28 },
          xAxis: { type: "category", data: item.group.teams },
          yAxis: { type: "value", name: indicator.name + "（" + indicator.unit + "）" },
          series: [{ name: indicator.name, type: "bar", barMaxWidth: 48, data: indicator.values.map(valueOf) }]
        }, true);
      });
    }
    if (pick) {
      pick.addEventListener("change", function () { show(pick.value); });
      show(pick.value);
    }
  }

  function start() {
    if (typeof echarts === "undefined") return;
    var trendData = read("dashboard-trend-data");
    if (trendData) trends(trendData);
    var compareData = read("dashboard-compare-data");
    if (compareData) comparison(compareData);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
