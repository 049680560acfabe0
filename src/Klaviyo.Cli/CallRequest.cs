using System.Text.Json;

namespace Klaviyo.Cli;

/// <summary>
/// Turns <c>klaviyo call</c>'s arguments into a <see cref="RequestOperation"/>, as a generated method would: the
/// catalog entry's method and path template, the operationId, credentials unless it is the client API, the query
/// pairs, and the JSON body. Pure; what the command line gets wrong is a <see cref="UsageException"/>.
/// </summary>
internal static class CallRequest
{
    /// <summary>Builds the operation.</summary>
    /// <param name="entry">The operation's catalog entry.</param>
    /// <param name="pathArguments">The path parameter values, in path order.</param>
    /// <param name="query">The query pairs, in order.</param>
    /// <param name="body">The JSON body, when one was given.</param>
    public static RequestOperation Build(
        CatalogEntry entry,
        IReadOnlyList<string> pathArguments,
        IReadOnlyList<(string Name, string Value)> query,
        JsonElement? body
    )
    {
        var id = entry.OperationId;
        if (pathArguments.Count != entry.PathParameters.Count)
            throw new UsageException(
                entry.PathParameters.IsEmpty
                    ? $"{id} takes no path arguments, but {pathArguments.Count} were given"
                    : $"{id} takes {entry.PathParameters.Count} path argument(s) ({string.Join(", ", entry.PathParameters)}), but {pathArguments.Count} were given: klaviyo call {Usage(entry)}"
            );
        if (entry.RequestContentType is { } contentType && !IsJson(contentType))
            throw new UsageException(
                $"{id} sends a {contentType} body, which the command-line tool cannot build; use upload_image_from_url, or ImagesUpload.UploadImageFromFileAsync in the library"
            );
        if (entry.RequestContentType is not null && body is null)
            throw new UsageException(
                $"{id} takes a JSON body: give --body FILE, or --body - to read it from standard input"
            );
        if (entry.RequestContentType is null && body is not null)
            throw new UsageException($"{id} takes no body; leave out --body");

        var operation = PathTemplate.Operation(
            entry.Method,
            entry.PathTemplate,
            pathArguments.ToArray<string?>()
        ) with
        {
            OperationId = id,
            SendCredentials = !OperationLookup.IsClientApi(entry),
        };
        foreach (var (name, value) in query)
            operation = operation.WithQuery(name, value);
        return body is { } json ? operation.WithBody(RequestBody.Json(json)) : operation;
    }

    /// <summary>
    /// Reads <c>--query NAME=VALUE</c> values and <c>--filter</c> into query pairs, in order, the filter last. A
    /// value without <c>=</c>, an empty name, or a filter given both ways is a <see cref="UsageException"/>.
    /// </summary>
    /// <param name="values">The <c>--query</c> values.</param>
    /// <param name="filter">The <c>--filter</c> value, if any.</param>
    public static IReadOnlyList<(string Name, string Value)> Query(
        IEnumerable<string> values,
        string? filter
    )
    {
        var pairs = new List<(string, string)>();
        foreach (var value in values)
        {
            var equals = value.IndexOf('=');
            if (equals <= 0)
                throw new UsageException(
                    $"--query takes NAME=VALUE (e.g. --query 'page[size]=10'), not '{value}'"
                );
            var (name, given) = (value[..equals], value[(equals + 1)..]);
            if (pairs.Find(p => p.Item1 == name) is { Item1: not null } earlier)
                throw new UsageException(
                    $"query parameter '{name}' was given twice ('{earlier.Item2}' and '{given}'); give it once"
                        + (
                            name.StartsWith("fields[", StringComparison.Ordinal)
                                ? $", with the values comma-separated ('{name}={earlier.Item2},{given}')"
                                : ""
                        )
                );
            pairs.Add((name, given));
        }
        if (filter is not null)
        {
            if (pairs.Exists(p => p.Item1 == "filter"))
                throw new UsageException(
                    "the filter was given twice (--filter and --query filter=…); give it once"
                );
            pairs.Add(("filter", filter));
        }
        return pairs;
    }

    /// <summary>
    /// Warnings for query parameters the operation does not document (they are still sent: the spec may lag the
    /// API), each with the nearest documented names.
    /// </summary>
    /// <param name="entry">The operation.</param>
    /// <param name="query">The query pairs.</param>
    public static IEnumerable<string> UnknownParameterWarnings(
        CatalogEntry entry,
        IEnumerable<(string Name, string Value)> query
    )
    {
        var known = entry.QueryParameters.Map(p => p.Name).ToList();
        foreach (var name in query.Select(q => q.Name).Distinct(StringComparer.Ordinal))
            if (!known.Contains(name, StringComparer.Ordinal))
                yield return $"warning: {entry.OperationId} documents no query parameter '{name}'"
                    + (known.Count == 0 ? " (it takes none)" : Suggestions.DidYouMean(name, known))
                    + "; sending it anyway";
    }

    /// <summary>How to call the operation: <c>get_profile ID</c>.</summary>
    /// <param name="entry">The entry.</param>
    public static string Usage(CatalogEntry entry) =>
        string.Join(
            " ",
            new[] { entry.OperationId }.Concat(
                entry.PathParameters.Map(p =>
                    string.Concat(
                        p.Select(c =>
                            char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()
                        )
                    )
                )
            )
        );

    /// <summary>Whether the tool can send this body: JSON, not multipart.</summary>
    /// <param name="contentType">The request content type.</param>
    public static bool IsJson(string contentType) =>
        contentType.EndsWith("json", StringComparison.OrdinalIgnoreCase);
}
