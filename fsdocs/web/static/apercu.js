/* The structure page's preview follows the saves: the state of the preview is asked every
   second and a half; when a new generation is ready, the frame is loaded again. Without
   this script the page still shows the new preview after each save (the save waits for it). */
(function () {
  "use strict";
  var etat = document.getElementById("etat-apercu");
  var cadre = document.getElementById("apercu");
  if (!etat || !cadre || !window.fetch) { return; }
  var url = etat.getAttribute("data-url");
  var base = cadre.getAttribute("src").split("?")[0];
  function suivre() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (reponse) { return reponse.ok ? reponse.json() : null; })
      .then(function (donnees) {
        if (!donnees) { return; }
        var vue = parseInt(etat.getAttribute("data-generation"), 10);
        if (donnees.pret && donnees.generation !== vue) {
          etat.setAttribute("data-generation", String(donnees.generation));
          cadre.setAttribute("src", base + "?g=" + donnees.generation);
        }
        var texte = donnees.pret ? "Aperçu à jour" : "Aperçu en cours…";
        if (etat.textContent !== texte) { etat.textContent = texte; }
      })
      .catch(function () { /* the server may be restarting: try again later */ });
  }
  window.setInterval(suivre, 1500);
}());
