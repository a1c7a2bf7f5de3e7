// Starts Swagger UI on this server's own description. Kept out of index.html so the page runs
// under a Content-Security-Policy that allows only same-origin scripts. validatorUrl: null keeps
// the page from calling the public validator.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/codvid-ai/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
