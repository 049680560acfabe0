using System.Buffers;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// The smallest plausible JSON:API answer to a request, so a program of several steps runs end to end in a dry run:
/// the operation's documented success status, an empty page for a list, a resource with a type taken from the path
/// for a single resource or a creation (a job read back — a type ending in <c>-job</c> — has status
/// <c>complete</c>), and no body for 204. Pure.
/// </summary>
internal static class MinimalResponse
{
    /// <summary>The answer to <paramref name="request"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="nextId">Gives the next number for the id of a created resource (<c>dry-run-1</c>, …).</param>
    public static RawResponse For(KlaviyoRequest request, Func<long> nextId)
    {
        var entry = request.OperationId is { } id ? OperationCatalog.Find(id) : None;
        var method = request.Method;
        var status = entry.Match(e => e.SuccessStatus, () => FallbackStatus(method));
        if (status == 204)
            return new RawResponse(204, Seq<(string, string)>(), ReadOnlyMemory<byte>.Empty);

        var segments = ResourceSegments(request.Path);
        var endsWithId = entry.Match(
            e => e.PathTemplate.TrimEnd('/').EndsWith('}'),
            () => segments.Count % 2 == 0
        );
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (method == HttpMethod.Get && !endsWithId)
            {
                w.WriteStartArray("data");
                w.WriteEndArray();
                w.WriteStartObject("links");
                w.WriteString("self", request.Redact().Url);
                w.WriteNull("next");
                w.WriteEndObject();
            }
            else
            {
                var creates = method == HttpMethod.Post;
                var collection =
                    creates || !endsWithId || segments.Count < 2
                        ? segments.LastOrDefault()
                        : segments[^2];
                var type =
                    (creates ? BodyType(request) : null) ?? Singular(collection ?? "resource");
                var resourceId =
                    creates || !endsWithId || segments.Count == 0
                        ? $"dry-run-{nextId()}"
                        : segments[^1];
                w.WriteStartObject("data");
                w.WriteString("type", type);
                w.WriteString("id", resourceId);
                w.WriteStartObject("attributes");
                // A job read back is done, so a program polling it (a bulk pipeline) goes on in a dry run.
                if (method == HttpMethod.Get && type.EndsWith("-job", StringComparison.Ordinal))
                    w.WriteString("status", "complete");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return new RawResponse(
            status,
            Seq1(("content-type", MediaTypes.JsonApi)),
            buffer.WrittenSpan.ToArray()
        );
    }

    private static int FallbackStatus(HttpMethod method) =>
        method == HttpMethod.Post ? 201
        : method == HttpMethod.Delete ? 204
        : 200;

    // The path below /api or /client, decoded, without "relationships" (so /x/{id}/relationships/y reads as a list).
    internal static List<string> ResourceSegments(string path)
    {
        var all = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => Uri.UnescapeDataString(s))
            .ToList();
        var root = all.FindIndex(s => s is "api" or "client");
        return all.Skip(root + 1).Where(s => s != "relationships").ToList();
    }

    // The JSON:API type the request body names (data.type), when it names one.
    internal static string? BodyType(KlaviyoRequest request) =>
        request.Content is RequestContent.Json { Value: var root }
        && root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("data", out var data)
        && data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("type", out var type)
        && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    // profiles → profile, catalog-categories → catalog-category, bulk-import-jobs → bulk-import-job.
    private static string Singular(string collection) =>
        collection.EndsWith("ies", StringComparison.Ordinal) ? collection[..^3] + "y"
        : collection.EndsWith('s') && !collection.EndsWith("ss", StringComparison.Ordinal)
            ? collection[..^1]
        : collection;
}
