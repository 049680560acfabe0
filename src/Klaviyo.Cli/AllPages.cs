using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Klaviyo.Cli;

/// <summary>
/// <c>--all-pages</c>: follows <c>links.next</c> and streams one JSON document to standard output,
/// <c>{"data": [every item of every page], "included": [every included resource, once]}</c> (<c>included</c> only
/// when a page had any). Items are written as each page arrives, so memory holds one page (plus the included
/// resources). A failed page stops the stream where it is: the document is left unfinished, and the exit code says
/// why.
/// </summary>
internal static class AllPages
{
    /// <summary>
    /// Fetches and writes every page (up to <paramref name="maxPages"/>); returns how many pages and resources were
    /// written, and whether the last page written still had a <c>links.next</c> (more pages remain).
    /// </summary>
    /// <param name="operation">The first page.</param>
    /// <param name="options">The options every page uses.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="compact">One line instead of indented.</param>
    /// <param name="progress">The progress line, when standard error is a terminal.</param>
    /// <param name="cancellationToken">Stops fetching.</param>
    /// <exception cref="KlaviyoException">A page failed.</exception>
    public static async Task<(int Pages, long Resources, bool MorePages)> WriteAsync(
        RequestOperation operation,
        KlaviyoOptions options,
        int? maxPages,
        Stream output,
        bool compact,
        PageProgress? progress,
        CancellationToken cancellationToken
    )
    {
        var included = new List<JsonElement>();
        var seen = new HashSet<(string, string)>();
        long resources = 0;
        var pages = 0;
        var morePages = false;
        await using var writer = new Utf8JsonWriter(output, JsonOutput.Options(compact));
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        try
        {
            await foreach (
                var response in operation
                    .PageResponsesAsync(options, cancellationToken, maxPages)
                    .ConfigureAwait(false)
            )
            {
                pages++;
                morePages = false;
                if (response.Body is ResponseBody.Json { Value: var root })
                {
                    morePages = HasNext(root);
                    if (
                        root.ValueKind == JsonValueKind.Object
                        && TryGet(root, "data"u8, out var data)
                    )
                    {
                        if (data.ValueKind == JsonValueKind.Array)
                            foreach (var item in data.EnumerateArray())
                            {
                                JsonOutput.Write(writer, item);
                                resources++;
                            }
                        else if (data.ValueKind == JsonValueKind.Object)
                        {
                            JsonOutput.Write(writer, data);
                            resources++;
                        }
                    }
                    if (
                        root.ValueKind == JsonValueKind.Object
                        && TryGet(root, "included"u8, out var more)
                        && more.ValueKind == JsonValueKind.Array
                    )
                        foreach (var resource in more.EnumerateArray())
                            if (seen.Add(Key(resource)))
                                included.Add(resource.Clone());
                }
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                progress?.Report(pages, resources);
            }
        }
        finally
        {
            progress?.Finish();
        }
        writer.WriteEndArray();
        if (included.Count > 0)
        {
            writer.WriteStartArray("included");
            foreach (var resource in included)
                JsonOutput.Write(writer, resource);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        output.Write("\n"u8);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (pages, resources, morePages);
    }

    // Whether a page links to a next one: links.next is a non-empty string.
    private static bool HasNext(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && TryGet(root, "links"u8, out var links)
        && links.ValueKind == JsonValueKind.Object
        && TryGet(links, "next"u8, out var next)
        && next.ValueKind == JsonValueKind.String
        && JsonMarshal.GetRawUtf8Value(next).Length > 2;

    // A resource's identity (type, id) as their raw JSON; one without both is its own identity (its raw text). Raw
    // text, because decoding a server's lone surrogate (or bytes that are not UTF-8) would throw.
    private static (string, string) Key(JsonElement resource) =>
        resource.ValueKind == JsonValueKind.Object
        && TryGet(resource, "type"u8, out var type)
        && TryGet(resource, "id"u8, out var id)
            ? (Raw(type), Raw(id))
            : ("", Raw(resource));

    private static string Raw(JsonElement e) =>
        Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(e));

    // A property by its name as written (the last of duplicates, as TryGetProperty): System.Text.Json's own lookup
    // throws once it passes a key that is not well-formed Unicode.
    private static bool TryGet(JsonElement obj, ReadOnlySpan<byte> name, out JsonElement value)
    {
        value = default;
        var found = false;
        foreach (var p in obj.EnumerateObject())
            if (JsonMarshal.GetRawUtf8PropertyName(p).SequenceEqual(name))
            {
                value = p.Value;
                found = true;
            }
        return found;
    }
}
