/* 案件码统计: the monthly trend chart (evaluations by colour as stacked bars, 转码 as lines),
   drawn with the vendored ECharts from the data the page passes with json_script. */
(function () {
  "use strict";
  var COLOURS = { red: "#b42318", yellow: "#d97706", green: "#167a48" };
  var CHANGES = {
    red_yellow: "#d97706", yellow_green: "#167a48", red_green: "#0f766e",
    green_yellow: "#a16207", yellow_red: "#b42318", green_red: "#7f1d1d"
  };

  function draw() {
    var box = document.getElementById("casecode-trend");
    var source = document.getElementById("casecode-trend-data");
    if (!box || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var series = [];
    Object.keys(data.colours).forEach(function (key) {
      series.push({
        name: "评为" + data.colours[key].label, type: "bar", stack: "evaluations",
        itemStyle: { color: COLOURS[key] }, data: data.colours[key].data
      });
    });
    Object.keys(data.changes).forEach(function (key) {
      series.push({
        name: data.changes[key].label, type: "line", yAxisIndex: 1, smooth: false,
        itemStyle: { color: CHANGES[key] }, data: data.changes[key].data
      });
    });
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 48, right: 48, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.months },
      yAxis: [
        { type: "value", name: "评分次数", minInterval: 1 },
        { type: "value", name: "转码件次", minInterval: 1, splitLine: { show: false } }
      ],
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
