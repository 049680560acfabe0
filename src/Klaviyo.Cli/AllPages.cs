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
    /// <summary>Fetches and writes every page; returns the number of resources written.</summary>
    /// <param name="operation">The first page.</param>
    /// <param name="options">The options every page uses.</param>
    /// <param name="maxPages">The most pages to fetch; all when <c>null</c>.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="compact">One line instead of indented.</param>
    /// <param name="progress">The progress line, when standard error is a terminal.</param>
    /// <param name="cancellationToken">Stops fetching.</param>
    /// <exception cref="KlaviyoException">A page failed.</exception>
    public static async Task<long> WriteAsync(
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
                if (response.Body is ResponseBody.Json { Value: var root })
                {
                    if (
                        root.ValueKind == JsonValueKind.Object
                        && root.TryGetProperty("data", out var data)
                    )
                    {
                        if (data.ValueKind == JsonValueKind.Array)
                            foreach (var item in data.EnumerateArray())
                            {
                                item.WriteTo(writer);
                                resources++;
                            }
                        else if (data.ValueKind == JsonValueKind.Object)
                        {
                            data.WriteTo(writer);
                            resources++;
                        }
                    }
                    if (
                        root.ValueKind == JsonValueKind.Object
                        && root.TryGetProperty("included", out var more)
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
                resource.WriteTo(writer);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        output.Write("\n"u8);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return resources;
    }

    // A resource's identity (type, id); one without both is its own identity (its raw text).
    private static (string, string) Key(JsonElement resource) =>
        resource.ValueKind == JsonValueKind.Object
        && resource.TryGetProperty("type", out var type)
        && resource.TryGetProperty("id", out var id)
            ? (type.ToString(), id.ToString())
            : ("", resource.GetRawText());
}
