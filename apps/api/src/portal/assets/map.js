// The map of projects, drawn by Leaflet over the configured tiles when script runs. The list on
// the page is the map's text twin and works without it; when tiles cannot be loaded, the projects
// stay on the map over a blank background and the page says why the background is missing.
(function () {
  var data = JSON.parse(document.getElementById('map-data').textContent);
  var element = document.getElementById('map');
  var status = document.getElementById('map-status');
  if (typeof L === 'undefined' || data.projects.length === 0) return;
  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false });
  var failed = false;
  L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 })
    .on('tileerror', function () {
      if (failed) return;
      failed = true;
      element.classList.add('no-tiles');
      status.textContent = status.dataset.tilesFailed;
    })
    .addTo(map);
  var bounds = [];
  data.projects.forEach(function (p) {
    var link = document.createElement('a');
    link.href = p.href;
    link.textContent = p.title + ' (' + p.code + ')';
    L.circleMarker([p.lat, p.lon], { radius: 8, weight: 2 }).bindPopup(link).addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length === 1) map.setView(bounds[0], 14);
  else map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
})();
