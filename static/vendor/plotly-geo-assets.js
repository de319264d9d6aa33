/* An empty base-map topology for plotly.js: geo charts draw only our own GeoJSON, offline.
   plotly.js looks here before fetching `<topojsonURL><scope>_<resolution>m.json` from its CDN. */
(function () {
  "use strict";
  var empty = { type: "GeometryCollection", geometries: [] };
  var topology = {
    type: "Topology",
    arcs: [],
    objects: { coastlines: empty, land: empty, ocean: empty, lakes: empty, rivers: empty, countries: empty, subunits: empty }
  };
  var assets = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || {});
  assets.topojson = assets.topojson || {};
  ["world", "usa", "europe", "asia", "africa", "north-america", "south-america"].forEach(function (scope) {
    ["110", "50"].forEach(function (resolution) {
      var name = scope + "_" + resolution + "m";
      if (!assets.topojson[name]) assets.topojson[name] = topology;
    });
  });
})();
