// Swagger UI over this service's OpenAPI description, from local assets only:
// no validator badge (it would call an outside service), no CDN.
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  if (!el || typeof SwaggerUIBundle === "undefined") { return; }
  window.lpsplanDocs = SwaggerUIBundle({
    url: el.getAttribute("data-url") || "/openapi.json",
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
