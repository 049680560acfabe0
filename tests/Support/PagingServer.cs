using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Klaviyo.Tests;

/// <summary>
/// A Kestrel server listing <c>items</c> resources in pages of <c>pageSize</c> with cursor pagination
/// (<c>page[cursor]</c> in <c>links.next</c>, absolute URLs on its own host), as Klaviyo does.
/// </summary>
public static class PagingServer
{
    public static Task<LoopbackServer> StartAsync(
        int items,
        int pageSize,
        Func<int, Task>? beforePage = null,
        string? nextHost = null,
        string cursorName = "page[cursor]"
    )
    {
        LoopbackServer? self = null;
        var started = LoopbackServer.StartAsync(
            async (ctx, req) =>
            {
                var cursor = ctx.Request.Query[cursorName].ToString();
                var page = cursor.Length == 0 ? 0 : int.Parse(cursor);
                if (beforePage is not null)
                    await beforePage(page);
                var from = page * pageSize;
                var to = Math.Min(items, from + pageSize);
                var data = Enumerable
                    .Range(from, Math.Max(0, to - from))
                    .Select(i => new
                    {
                        type = "profile",
                        id = $"p{i}",
                        attributes = new { email = $"p{i}@example.com", index = i },
                    })
                    .ToArray();
                var host = nextHost ?? $"http://127.0.0.1:{self!.Port}";
                string? next =
                    to < items
                        ? $"{host}{ctx.Request.Path}?{Uri.EscapeDataString(cursorName)}={page + 1}"
                        : null;
                var body = JsonSerializer.Serialize(
                    new
                    {
                        data,
                        links = new
                        {
                            self = $"{host}{ctx.Request.Path}{ctx.Request.QueryString}",
                            next,
                        },
                        meta = new { page },
                    }
                );
                ctx.Response.ContentType = "application/vnd.api+json";
                await ctx.Response.WriteAsync(body);
            }
        );
        return started.ContinueWith(t => self = t.Result);
    }
}
