/*
 * Tokenwarden's WebKit web process extension: hands the web process's freed memory back to the
 * kernel when the window asks ("tokenwarden:release-memory"), and answers with its resident size
 * before and after, in KiB, as a (tt) tuple.
 *
 * Why: the page's big moments (an unlock that brings 10,000 rows, a lock that drops them) leave tens
 * of MiB of freed chunks inside the web process's heap. glibc gives back the top of its heap only,
 * so those pages stay resident for as long as the window is open; WebKit trims them only under
 * memory pressure, which a desktop with free memory never reports. The window asks once the page has
 * painted (see src/memory.rs): a full garbage collection first, so what the page no longer holds is
 * freed, then malloc_trim(0), which returns every whole free page.
 *
 * Loaded by WebKitGTK from the directory the window names (WebviewWindowBuilder::extensions_path).
 * Only the UI process can send user messages to a page; the page's own script cannot reach this.
 */
#include <dlfcn.h>
#include <malloc.h>
#include <stdio.h>
#include <unistd.h>
#include <webkit2/webkit-web-extension.h>

#define RELEASE_MEMORY "tokenwarden:release-memory"

/* JavaScriptCore's synchronous full collection (exported for WebKit's own test tools). Looked up
 * at run time: where a WebKit lacks it, the trim below still runs. */
typedef void (*SynchronousCollect)(JSContextRef);

static guint64 resident_kib(void)
{
    unsigned long size = 0, resident = 0;
    FILE *statm = fopen("/proc/self/statm", "r");
    if (!statm)
        return 0;
    if (fscanf(statm, "%lu %lu", &size, &resident) != 2)
        resident = 0;
    fclose(statm);
    return (guint64)resident * (guint64)sysconf(_SC_PAGESIZE) / 1024;
}

static void collect_garbage(WebKitWebPage *page)
{
    static SynchronousCollect collect;
    static gboolean looked_up;
    if (!looked_up) {
        collect = (SynchronousCollect)dlsym(RTLD_DEFAULT, "JSSynchronousGarbageCollectForDebugging");
        looked_up = TRUE;
    }
    if (!collect)
        return;
    /* The frame's global context is the one JavaScriptCore C API the 4.1 extension API still
     * hands out; deprecated in favour of JSCContext, which offers no collection. */
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    WebKitFrame *frame = webkit_web_page_get_main_frame(page);
    JSGlobalContextRef context = frame ? webkit_frame_get_javascript_global_context(frame) : NULL;
    G_GNUC_END_IGNORE_DEPRECATIONS
    if (context)
        collect(context);
}

static gboolean on_user_message(WebKitWebPage *page, WebKitUserMessage *message, gpointer unused)
{
    (void)unused;
    if (g_strcmp0(webkit_user_message_get_name(message), RELEASE_MEMORY) != 0)
        return FALSE;
    guint64 before = resident_kib();
    collect_garbage(page);
    malloc_trim(0);
    guint64 after = resident_kib();
    webkit_user_message_send_reply(message,
                                   webkit_user_message_new(RELEASE_MEMORY, g_variant_new("(tt)", before, after)));
    return TRUE;
}

static void on_page_created(WebKitWebExtension *extension, WebKitWebPage *page, gpointer unused)
{
    (void)extension;
    (void)unused;
    g_signal_connect(page, "user-message-received", G_CALLBACK(on_user_message), NULL);
}

G_MODULE_EXPORT void webkit_web_extension_initialize(WebKitWebExtension *extension)
{
    g_signal_connect(extension, "page-created", G_CALLBACK(on_page_created), NULL);
}
