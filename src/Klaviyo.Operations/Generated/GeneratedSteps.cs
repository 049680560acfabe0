using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// The few steps every generated operation is written in (see <c>Generated/*.g.cs</c>): start from the path
/// template, add each query parameter only when it was given, attach the body. Keeping them here keeps the
/// generated methods short and all alike.
/// </summary>
internal static class Generated
{
    /// <summary>
    /// The operation for <paramref name="template"/> with <paramref name="pathValues"/> expanded (each one segment;
    /// problems recorded, never thrown), its <see cref="RequestOperation.OperationId"/> set, and
    /// <see cref="RequestOperation.SendCredentials"/> off for the client API (<c>/client/…</c>), which is called with
    /// the public key in <c>company_id</c> and must never carry a private key.
    /// </summary>
    public static RequestOperation Operation(
        string operationId,
        HttpMethod method,
        string template,
        params string?[] pathValues
    )
    {
        // A template without placeholders is its own path (most listings): no expansion, no copy of the operation.
        var (path, problems) =
            pathValues.Length == 0 && template.AsSpan().IndexOfAny('{', '}') < 0
                ? (template, Seq<string>())
                : PathTemplate.Expand(template, pathValues);
        return new RequestOperation(method, path)
        {
            Problems = problems,
            OperationId = operationId,
            SendCredentials = !template.StartsWith("/client/", StringComparison.Ordinal),
        };
    }

    /// <summary>Adds <c>name=value</c> when <paramref name="value"/> is not null.</summary>
    public static RequestOperation AddQuery(this RequestOperation op, string name, string? value) =>
        value is null ? op : op.WithQuery(name, value);

    /// <summary>Adds <c>name=value</c> (invariant culture) when <paramref name="value"/> is not null.</summary>
    public static RequestOperation AddQuery(this RequestOperation op, string name, int? value) =>
        value is { } v ? op.WithQuery(name, v.ToString(CultureInfo.InvariantCulture)) : op;

    /// <summary>Adds <c>name=true</c> or <c>name=false</c> when <paramref name="value"/> is not null.</summary>
    public static RequestOperation AddQuery(this RequestOperation op, string name, bool? value) =>
        value is { } v ? op.WithQuery(name, v ? "true" : "false") : op;

    /// <summary>
    /// Adds <c>name=a,b,c</c> (the spec's <c>explode: false</c>) when <paramref name="values"/> is not null and not
    /// empty: an empty list asks for nothing, so it is left out like null.
    /// </summary>
    public static RequestOperation AddQuery(
        this RequestOperation op,
        string name,
        IEnumerable<string>? values
    )
    {
        if (values is null)
            return op;
        var list = values.ToList();
        if (list.Count == 0)
            return op;
        if (list.Any(v => v is null))
            return op with
            {
                Problems = op.Problems.Add($"query parameter '{name}' has a null value"),
            };
        return op.WithQuery(name, string.Join(",", list));
    }

    /// <summary>
    /// Adds <c>name=value</c> for a typed value (<c>ProfileSort.CreatedDescending</c>, or a raw string converted to
    /// one) when it is given; <c>default</c>, or one made from a null string, is left out like null.
    /// </summary>
    public static RequestOperation AddQuery<T>(this RequestOperation op, string name, T? value)
        where T : struct, IStringValue<T> => value?.Value is { } v ? op.WithQuery(name, v) : op;

    /// <summary>Adds <c>name=value</c> for a required typed value; <c>default</c> is left out (and reported as
    /// missing when the query is checked).</summary>
    public static RequestOperation AddQuery<T>(this RequestOperation op, string name, T value)
        where T : struct, IStringValue<T> => op.AddQuery<T>(name, (T?)value);

    /// <summary>Adds <c>name=a,b,c</c> for typed values, exactly as for the same raw strings.</summary>
    public static RequestOperation AddQuery<T>(
        this RequestOperation op,
        string name,
        QueryValues<T>? values
    )
        where T : struct, IStringValue<T> => op.AddQuery(name, values?.Select(v => v.Value));

    /// <summary>Adds a header when <paramref name="value"/> is not null.</summary>
    public static RequestOperation AddHeader(
        this RequestOperation op,
        string name,
        string? value
    ) => value is null ? op : op.WithHeader(name, value);

    /// <summary>
    /// Sets the JSON body; a null body is recorded as a problem (the operation requires one). A generated model is
    /// written by its generated writer (no reflection), anything else by the options' codec.
    /// </summary>
    public static RequestOperation AddJsonBody(this RequestOperation op, object? body) =>
        body is null
            ? op with
            {
                Problems = op.Problems.Add("the request body is null; this operation requires one"),
            }
            : op.WithBody(
                ModelJson.Options.TryGetTypeInfo(body.GetType(), out var info)
                    ? new RequestBody.TypedJsonValue(body, info)
                    : RequestBody.Json(body)
            );

    /// <summary>No multipart parts yet.</summary>
    public static Seq<MultipartPart> NoParts => Seq<MultipartPart>();

    /// <summary>Adds a file part; the content type is guessed from the file name when not given.</summary>
    public static Seq<MultipartPart> AddFile(
        this Seq<MultipartPart> parts,
        string name,
        ReadOnlyMemory<byte> content,
        string fileName,
        string? contentType
    ) =>
        parts.Add(
            MultipartPart.File(
                name,
                fileName ?? "",
                contentType ?? MediaTypes.FromFileName(fileName),
                content
            )
        );

    /// <summary>Adds a text part when <paramref name="value"/> is not null.</summary>
    public static Seq<MultipartPart> AddText(
        this Seq<MultipartPart> parts,
        string name,
        string? value
    ) => value is null ? parts : parts.Add(MultipartPart.Text(name, value));

    /// <summary>Adds <c>true</c> or <c>false</c> as a text part when <paramref name="value"/> is not null.</summary>
    public static Seq<MultipartPart> AddText(
        this Seq<MultipartPart> parts,
        string name,
        bool? value
    ) => value is { } v ? parts.Add(MultipartPart.Text(name, v ? "true" : "false")) : parts;

    /// <summary>Adds the number (invariant culture) as a text part when <paramref name="value"/> is not null.</summary>
    public static Seq<MultipartPart> AddText(
        this Seq<MultipartPart> parts,
        string name,
        int? value
    ) =>
        value is { } v
            ? parts.Add(MultipartPart.Text(name, v.ToString(CultureInfo.InvariantCulture)))
            : parts;
}
