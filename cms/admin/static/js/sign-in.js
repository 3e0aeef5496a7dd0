/** The sign-in page's only script: the language switch (the form itself needs none). */

const button = document.getElementById("language-switch");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => {
    const next = button.dataset.lang;
    try {
      localStorage.setItem("cinq.lang", next);
    } catch {
      /* the cookie carries it */
    }
    document.cookie = `cinq_lang=${next}; Path=/admin; Max-Age=31536000; SameSite=Lax`;
    location.reload();
  });
}
