// The language picker: a link in the menu bar to the same page in the
// other language. The English book is the site's root; the Chinese one is
// its zh-CN/ folder, with the same file names (docs/i18n.py builds both).
(function () {
    "use strict";
    const buttons = document.querySelector(".right-buttons");
    if (!buttons || typeof path_to_root === "undefined") {
        return;
    }
    const chinese = document.documentElement.lang === "zh-CN";
    // This page's path below its book's root: as many folders as
    // path_to_root climbs, then the file itself.
    const depth = (path_to_root.match(/\.\.\//g) || []).length;
    const parts = window.location.pathname.split("/");
    const page = parts.slice(parts.length - 1 - depth).join("/");
    const link = document.createElement("a");
    link.id = "language-picker";
    link.href = path_to_root + (chinese ? "../" : "zh-CN/") + page;
    link.lang = chinese ? "en" : "zh-CN";
    link.textContent = chinese ? "English" : "中文";
    link.title = chinese ? "Read this page in English" : "用中文阅读本页";
    link.setAttribute("aria-label", link.title);
    link.style.marginInline = "0.5em";
    buttons.prepend(link);
})();
