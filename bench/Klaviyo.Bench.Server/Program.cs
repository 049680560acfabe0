// A loopback server for benchmarks, in its own process. Prints "listening <port>" on stdout once bound to 127.0.0.1.
//   (no arguments)             answers every request with a fixed ~2 KB JSON:API body (throughput harness)
//   --paging <pages> <perPage> lists pages × perPage profiles with cursor pagination (page[cursor] in an absolute
//                              links.next on its own host, as Klaviyo does); each page is built on request
//   --port <n>                 binds to port n instead of 0
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

var port = Option("--port", 0);
var pagingAt = Array.IndexOf(args, "--paging");
var paging = pagingAt >= 0;
var pages = paging ? int.Parse(args[pagingAt + 1]) : 0;
var perPage = paging ? int.Parse(args[pagingAt + 2]) : 0;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
builder.Services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
var app = builder.Build();

var fixedBody = Encoding.UTF8.GetBytes(Document());
var origin = "";
app.Run(async ctx =>
{
    var body = paging ? Page(ctx.Request.Query["page[cursor]"].ToString()) : fixedBody;
    ctx.Response.StatusCode = 200;
    ctx.Response.ContentType = "application/vnd.api+json";
    ctx.Response.ContentLength = body.Length;
    await ctx.Response.Body.WriteAsync(body);
});
await app.StartAsync();
var bound = new Uri(app.Urls.First()).Port;
origin = $"http://127.0.0.1:{bound}";
Console.WriteLine($"listening {bound}");
Console.Out.Flush();
await app.WaitForShutdownAsync();

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}

// One page of the listing: perPage profiles (~230 bytes each) and links.next while pages remain.
byte[] Page(string cursor)
{
    var page = cursor.Length == 0 ? 0 : int.Parse(cursor);
    var sb = new StringBuilder(perPage * 260 + 256);
    sb.Append("{\"data\":[");
    for (var i = 0; i < perPage; i++)
    {
        var n = page * perPage + i;
        if (i > 0)
            sb.Append(',');
        sb.Append("{\"type\":\"profile\",\"id\":\"01GDDKASAP8TKDDA2G")
            .Append(n.ToString("D8"))
            .Append("\",\"attributes\":{\"email\":\"person")
            .Append(n)
            .Append(
                "@example.com\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"created\":\"2022-11-08T00:00:00+00:00\"},\"links\":{\"self\":\""
            )
            .Append(origin)
            .Append("/api/profiles/")
            .Append(n)
            .Append("/\"}}");
    }
    sb.Append("],\"links\":{\"self\":\"")
        .Append(origin)
        .Append("/api/profiles?page%5Bcursor%5D=")
        .Append(page)
        .Append("\",\"next\":");
    if (page + 1 < pages)
        sb.Append('"')
            .Append(origin)
            .Append("/api/profiles?page%5Bcursor%5D=")
            .Append(page + 1)
            .Append('"');
    else
        sb.Append("null");
    sb.Append("}}");
    return Encoding.UTF8.GetBytes(sb.ToString());
}

static string Document()
{
    var sb = new StringBuilder("{\"data\":[");
    var i = 0;
    while (sb.Length < 1900)
    {
        if (i > 0)
            sb.Append(',');
        sb.Append(
            $"{{\"type\":\"profile\",\"id\":\"01GDDKASAP8TKDDA2GRZDSVP{i:D2}\",\"attributes\":{{\"email\":\"person{i}@example.com\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"created\":\"2022-11-08T00:00:00+00:00\"}},\"links\":{{\"self\":\"https://a.klaviyo.com/api/profiles/{i}/\"}}}}"
        );
        i++;
    }
    sb.Append(
        "],\"links\":{\"self\":\"https://a.klaviyo.com/api/profiles/\",\"next\":null,\"prev\":null}}"
    );
    return sb.ToString();
}
