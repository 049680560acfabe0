using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Klaviyo.Tests;

/// <summary>
/// A Kestrel stand-in for Klaviyo's bulk-job endpoints, on 127.0.0.1. A POST to any <c>…-jobs</c> path creates a job
/// (202, status <c>queued</c>) for the items it finds under <c>data.attributes.X.data</c> (or relationships); a GET of
/// <c>…-jobs/{id}</c> reports <c>queued</c>, then <c>processing</c>, then <c>complete</c> from the
/// <see cref="PollsUntilComplete"/>th poll on, with counts; items that <see cref="Fails"/> are failed items, listed
/// by <c>…-jobs/{id}/import-errors</c> (paginated, <see cref="ErrorsPageSize"/> per page, pointers into the job's
/// body) and in the job's own <c>errors</c> attribute. A create holding an item that <see cref="Refuses"/> is answered
/// 400. Operations without jobs to follow (subscribe, events) are answered 202 with no body.
/// </summary>
public sealed class BulkJobServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Job> _jobs = new();

    // Job ids differ from one server to the next, as Klaviyo's do.
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..6];
    private int _created;

    /// <summary>The server.</summary>
    public LoopbackServer Server { get; private set; } = null!;

    /// <summary>The poll from which a job is complete (1: the first poll sees it complete).</summary>
    public int PollsUntilComplete { get; init; } = 3;

    /// <summary>Which items fail; by default those whose <c>attributes.email</c> starts with <c>bad</c>.</summary>
    public Func<JsonElement, bool> Fails { get; init; } =
        item =>
            item.TryGetProperty("attributes", out var a)
            && a.TryGetProperty("email", out var e)
            && e.GetString()?.StartsWith("bad", StringComparison.Ordinal) == true;

    /// <summary>Which items make the whole create refused (400); by default those whose email starts with <c>refuse</c>.</summary>
    public Func<JsonElement, bool> Refuses { get; init; } =
        item =>
            item.TryGetProperty("attributes", out var a)
            && a.TryGetProperty("email", out var e)
            && e.GetString()?.StartsWith("refuse", StringComparison.Ordinal) == true;

    /// <summary>Errors per page of <c>import-errors</c>.</summary>
    public int ErrorsPageSize { get; init; } = 2;

    /// <summary>Answers the nth create (from 1) with this status instead, when it gives one (e.g. 503).</summary>
    public Func<int, int?> CreateStatus { get; init; } = _ => null;

    /// <summary>The id of the nth job created (from 1); by default unique to this server.</summary>
    public Func<int, string>? JobIds { get; init; }

    /// <summary>Paths of operations that answer 202 with no job (subscribe, unsubscribe, events).</summary>
    public IReadOnlyList<string> WithoutJobs { get; init; } =
    [
        "/api/profile-subscription-bulk-create-jobs",
        "/api/profile-subscription-bulk-delete-jobs",
        "/api/event-bulk-create-jobs",
    ];

    /// <summary>How many jobs were created.</summary>
    public int Created => _created;

    /// <summary>The creates received (POSTs), in order.</summary>
    public IReadOnlyList<ReceivedRequest> Creates =>
        Server.Received.Where(r => r.Method == "POST").ToList();

    /// <summary>The polls received (GETs of one job), in order.</summary>
    public IReadOnlyList<ReceivedRequest> Polls =>
        Server
            .Received.Where(r =>
                r.Method == "GET" && r.Path.Split('/').Length == 4 && r.Path.Contains("-jobs/")
            )
            .ToList();

    /// <summary>Starts <paramref name="configured"/> (set its behaviour with an object initializer), or a default server.</summary>
    public static async Task<BulkJobServer> StartAsync(BulkJobServer? configured = null)
    {
        var server = configured ?? new BulkJobServer();
        server.Server = await LoopbackServer.StartAsync(server.HandleAsync);
        return server;
    }

    /// <summary>Options pointing at the server.</summary>
    public KlaviyoOptions Options(KlaviyoOptions? start = null) => Server.Options(start);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private async Task HandleAsync(HttpContext ctx, ReceivedRequest request)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (request.Method == "POST" && request.Path.EndsWith("-jobs", StringComparison.Ordinal))
        {
            await CreateAsync(ctx, request);
            return;
        }
        if (
            request.Method == "GET"
            && segments.Length == 3
            && _jobs.TryGetValue(segments[2], out var job)
        )
        {
            var polls = Interlocked.Increment(ref job.Polls);
            var status =
                polls >= PollsUntilComplete ? "complete"
                : polls >= PollsUntilComplete - 1 ? "processing"
                : "queued";
            await WriteAsync(ctx, 200, new JsonObject { ["data"] = job.Resource(status) });
            return;
        }
        if (
            request.Method == "GET"
            && segments.Length == 4
            && segments[3] == "import-errors"
            && _jobs.TryGetValue(segments[2], out var failed)
        )
        {
            var cursor = ctx.Request.Query["page[cursor]"].ToString();
            var from = cursor.Length == 0 ? 0 : int.Parse(cursor);
            var page = failed.Failed.Skip(from).Take(ErrorsPageSize).ToList();
            var next =
                from + ErrorsPageSize < failed.Failed.Count
                    ? $"{Server.BaseUrl}{request.Path}?page%5Bcursor%5D={from + ErrorsPageSize}"
                    : null;
            var data = new JsonArray();
            foreach (var i in page)
                data.Add(
                    new JsonObject
                    {
                        ["type"] = "import-error",
                        ["id"] = $"{failed.Id}-e{i}",
                        ["attributes"] = failed.Error(i),
                    }
                );
            await WriteAsync(
                ctx,
                200,
                new JsonObject
                {
                    ["data"] = data,
                    ["links"] = new JsonObject
                    {
                        ["self"] = $"{Server.BaseUrl}{request.Path}{request.QueryString}",
                        ["next"] = next,
                    },
                }
            );
            return;
        }
        await WriteAsync(
            ctx,
            404,
            JsonNode.Parse(
                """{"errors":[{"status":404,"code":"not_found","title":"Not found"}]}"""
            )!
        );
    }

    private async Task CreateAsync(HttpContext ctx, ReceivedRequest request)
    {
        var number = Interlocked.Increment(ref _created);
        if (CreateStatus(number) is { } forced)
        {
            await WriteAsync(
                ctx,
                forced,
                JsonNode.Parse(
                    $$"""{"errors":[{"status":{{forced}},"code":"forced","title":"Forced failure"}]}"""
                )!
            );
            return;
        }
        using var body = JsonDocument.Parse(request.Body);
        var data = body.RootElement.GetProperty("data");
        var (pointer, items) = Items(data);
        if (items.Any(Refuses))
        {
            await WriteAsync(
                ctx,
                400,
                JsonNode.Parse(
                    """{"errors":[{"id":"r1","status":400,"code":"invalid","title":"Invalid input.","detail":"An item is refused.","source":{"pointer":"/data/attributes"}}]}"""
                )!
            );
            return;
        }
        if (WithoutJobs.Contains(request.Path))
        {
            ctx.Response.StatusCode = 202;
            return;
        }
        var job = new Job(
            JobIds?.Invoke(number) ?? $"job-{_prefix}-{number}",
            data.GetProperty("type").GetString()!,
            pointer,
            items.Select(i => i.Clone()).ToList(),
            items.Select((item, i) => (item, i)).Where(x => Fails(x.item)).Select(x => x.i).ToList()
        );
        _jobs[job.Id] = job;
        await WriteAsync(ctx, 202, new JsonObject { ["data"] = job.Resource("queued") });
    }

    private static (string Pointer, List<JsonElement> Items) Items(JsonElement data)
    {
        foreach (var container in new[] { "attributes", "relationships" })
            if (data.TryGetProperty(container, out var members))
                foreach (var member in members.EnumerateObject())
                    if (
                        member.Value.ValueKind == JsonValueKind.Object
                        && member.Value.TryGetProperty("data", out var list)
                        && list.ValueKind == JsonValueKind.Array
                    )
                        return (
                            $"/data/{container}/{member.Name}/data",
                            list.EnumerateArray().ToList()
                        );
        return ("/data", []);
    }

    private static async Task WriteAsync(HttpContext ctx, int status, JsonNode body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/vnd.api+json";
        await ctx.Response.WriteAsync(body.ToJsonString());
    }

    private sealed class Job(
        string id,
        string type,
        string pointer,
        List<JsonElement> items,
        List<int> failed
    )
    {
        public int Polls;

        public string Id => id;

        public List<int> Failed => failed;

        public JsonObject Error(int index) =>
            new()
            {
                ["code"] = "invalid",
                ["title"] = "Invalid input.",
                ["detail"] = $"item {index} of {id} is invalid",
                ["source"] = new JsonObject { ["pointer"] = $"{pointer}/{index}/attributes/email" },
                ["original_payload"] = items[index].TryGetProperty("attributes", out var a)
                    ? JsonNode.Parse(a.GetRawText())
                    : null,
            };

        public JsonObject Resource(string status)
        {
            var complete = status == "complete";
            var errors = new JsonArray();
            // Only catalog and coupon jobs carry their errors, as in the spec.
            if (complete && (type.StartsWith("catalog-") || type.StartsWith("coupon-")))
                foreach (var i in failed)
                {
                    var e = Error(i);
                    e.Remove("original_payload");
                    e["id"] = $"{id}-e{i}";
                    errors.Add(e);
                }
            return new JsonObject
            {
                ["type"] = type,
                ["id"] = id,
                ["attributes"] = new JsonObject
                {
                    ["status"] = status,
                    ["total_count"] = items.Count,
                    ["completed_count"] = complete ? items.Count : 0,
                    ["failed_count"] = complete ? failed.Count : 0,
                    ["errors"] = errors,
                },
            };
        }
    }
}
