// A loopback server for benchmarks, in its own process: answers every request with a fixed ~2 KB JSON:API body.
// Prints "listening <port>" on stdout once bound to 127.0.0.1 (port 0 unless given as the first argument).
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

var port = args.Length > 0 ? int.Parse(args[0]) : 0;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
builder.Services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
var app = builder.Build();

var body = Encoding.UTF8.GetBytes(Document());
app.Run(async ctx =>
{
    ctx.Response.StatusCode = 200;
    ctx.Response.ContentType = "application/vnd.api+json";
    ctx.Response.ContentLength = body.Length;
    await ctx.Response.Body.WriteAsync(body);
});
await app.StartAsync();
Console.WriteLine($"listening {new Uri(app.Urls.First()).Port}");
Console.Out.Flush();
await app.WaitForShutdownAsync();

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
