// The Bootstrap we serve: only the rules our pages can use. `make css` rebuilds
// static/vendor/bootstrap/bootstrap.subset.min.css from Bootstrap's own file;
// tests/test_stylesheet.py fails when a template, a form or a script starts using
// a Bootstrap class the subset lacks.
module.exports = {
  css: ["node_modules/bootstrap/dist/css/bootstrap.min.css"],
  content: [
    "templates/**/*.html",
    "*/templates/**/*.html",
    "{appointments,articles,pages,clinic}/**/*.py",
    "static/js/**/*.js",
    // crispy-bootstrap5 writes the form's markup (form-control, invalid-feedback, ...).
    ".venv/lib/python*/site-packages/crispy_bootstrap5/templates/bootstrap5/**/*.html",
  ],
  output: "static/vendor/bootstrap/bootstrap.subset.min.css",
};
