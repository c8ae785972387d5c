// Starts Blazor with Fluent UI's initializer, which the framework would find through static web asset manifests;
// the console serves its files from its own assembly instead (ConsoleAssets), so it runs the initializer itself.
import * as fluent from "/_content/Microsoft.FluentUI.AspNetCore.Components/Microsoft.FluentUI.AspNetCore.Components.lib.module.js";

const options = {};
fluent.beforeWebStart?.(options);
await Blazor.start(options);
fluent.afterWebStarted?.(Blazor);
document.documentElement.dataset.consoleReady = "true";
