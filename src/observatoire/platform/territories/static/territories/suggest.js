// « Ma commune »: names suggested while typing (the form works without this script, which only
// fills the field's <datalist> from GET /api/territories). A suggestion reads "Name (code)":
// the search page goes straight to that code's portrait.
(() => {
  const delay = 200;
  for (const input of document.querySelectorAll("input[data-territory-suggest]")) {
    const list = input.list;
    if (!list) continue;
    let timer = null;
    let last = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < 2 || text === last || /\(\S+\)$/.test(text)) return;
      timer = setTimeout(async () => {
        last = text;
        const url = `${input.dataset.territorySuggest}?limit=8&q=${encodeURIComponent(text)}`;
        try {
          const response = await fetch(url, { headers: { Accept: "application/json" } });
          if (!response.ok) return;
          const found = await response.json();
          list.replaceChildren(...found.map((t) => {
            const option = document.createElement("option");
            option.value = `${t.name} (${t.kind === "commune" ? t.code : t.ref})`;
            option.label = t.kind === "commune" && t.department
              ? `${t.kind_label}, ${t.department}` : t.kind_label;
            return option;
          }));
        } catch (error) {
          // Suggestions are a convenience: the form still submits what was typed.
        }
      }, delay);
    });
  }
})();
