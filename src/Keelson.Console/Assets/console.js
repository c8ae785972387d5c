// Browser helpers the console's components call through JS interop.
window.keelsonConsole = {
  // Saves a file the component fetched from the API (a DotNetStreamReference) under its Content-Disposition name.
  download: async (fileName, contentType, streamReference) => {
    const buffer = await streamReference.arrayBuffer();
    const url = URL.createObjectURL(new Blob([buffer], { type: contentType }));
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = fileName;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    URL.revokeObjectURL(url);
  },
};
