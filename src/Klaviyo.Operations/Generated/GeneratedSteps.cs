using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// The few steps every generated operation is written in (see <c>Generated/*.g.cs</c>): collect the query parameters
/// that were given (<see cref="QueryList"/>), make the operation from the path template with them, attach the body. Keeping them here keeps the
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
    ) => Make(Start(operationId, method, template, pathValues));

    /// <summary>
    /// The operation for <paramref name="template"/>, as <see cref="Operation(string, HttpMethod, string, string?[])"/>,
    /// with the query parameters collected in <paramref name="query"/> (in the order they were added, after any path
    /// problems its problems): the operation is made once, with an exact query, instead of copied per parameter.
    /// </summary>
    public static RequestOperation Operation(
        string operationId,
        HttpMethod method,
        string template,
        in QueryList query,
        params string?[] pathValues
    ) => Make(Start(operationId, method, template, query, pathValues));

    /// <summary>
    /// What <see cref="Operation(string, HttpMethod, string, string?[])"/> makes, as members a typed operation is
    /// constructed from directly (<c>return new(Generated.Start(…))</c>), so it is not made untyped and then copied.
    /// </summary>
    public static OperationStart Start(
        string operationId,
        HttpMethod method,
        string template,
        params string?[] pathValues
    ) => Start(operationId, method, template, default, pathValues);

    /// <summary>As <see cref="Start(string, HttpMethod, string, string?[])"/>, with the query collected in <paramref name="query"/>.</summary>
    public static OperationStart Start(
        string operationId,
        HttpMethod method,
        string template,
        in QueryList query,
        params string?[] pathValues
    )
    {
        // A template without placeholders is its own path (most listings): no expansion.
        var (path, problems) =
            pathValues.Length == 0 && template.AsSpan().IndexOfAny('{', '}') < 0
                ? (template, Seq<string>())
                : PathTemplate.Expand(template, pathValues);
        return new OperationStart(
            method,
            path,
            query.ToSeq(),
            query.Problems.IsEmpty ? problems : problems + query.Problems,
            operationId,
            !template.StartsWith("/client/", StringComparison.Ordinal)
        );
    }

    private static RequestOperation Make(in OperationStart start) =>
        new(start.Method, start.Path)
        {
            Query = start.Query,
            Problems = start.Problems,
            OperationId = start.OperationId,
            SendCredentials = start.SendCredentials,
        };

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

/// <summary>The members a generated operation starts with (see <see cref="Generated.Start(string, HttpMethod, string, string?[])"/>).</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The expanded path.</param>
/// <param name="Query">The query parameters given.</param>
/// <param name="Problems">Problems with the path values and the query values.</param>
/// <param name="OperationId">The spec's operation id.</param>
/// <param name="SendCredentials">Whether the private credential goes with it (not for the client API).</param>
internal readonly record struct OperationStart(
    HttpMethod Method,
    string Path,
    Seq<(string Name, string Value)> Query,
    Seq<string> Problems,
    string OperationId,
    bool SendCredentials
);

/// <summary>
/// A generated operation's query parameters, collected before the operation is made (see
/// <see cref="Generated.Operation(string, HttpMethod, string, in QueryList, string?[])"/>): each given one is added in
/// order, exactly as the <c>AddQuery</c> steps add them (a null, an empty list or a default typed value is left out;
/// a list holding a null is a problem), and the result is one exact array. The first four are kept inline, so a call
/// with a few parameters allocates nothing until the operation is made.
/// </summary>
internal struct QueryList
{
    private Inline _first;
    private List<(string Name, string Value)>? _more;
    private int _count;

    /// <summary>Problems found in the values (a list holding a null).</summary>
    public Seq<string> Problems { get; private set; }

    /// <summary>Whether nothing was added and nothing is wrong.</summary>
    public readonly bool IsEmpty => _count == 0 && Problems.IsEmpty;

    /// <summary>Adds <c>name=value</c> when <paramref name="value"/> is not null.</summary>
    public void Add(string name, string? value)
    {
        if (value is not null)
            Put(name, value);
    }

    /// <summary>Adds <c>name=value</c> (invariant culture) when <paramref name="value"/> is not null.</summary>
    public void Add(string name, int? value)
    {
        if (value is { } v)
            Put(name, v.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Adds <c>name=true</c> or <c>name=false</c> when <paramref name="value"/> is not null.</summary>
    public void Add(string name, bool? value)
    {
        if (value is { } v)
            Put(name, v ? "true" : "false");
    }

    /// <summary>Adds <c>name=a,b,c</c> when <paramref name="values"/> is not null and not empty; a null in it is a problem.</summary>
    public void Add(string name, IEnumerable<string>? values)
    {
        if (values is null)
            return;
        var list = values.ToList();
        if (list.Count == 0)
            return;
        if (list.Any(v => v is null))
            Problems = Problems.Add($"query parameter '{name}' has a null value");
        else
            Put(name, string.Join(",", list));
    }

    /// <summary>Adds a typed value when it is given; <c>default</c>, or one made from a null string, is left out.</summary>
    public void Add<T>(string name, T? value)
        where T : struct, IStringValue<T>
    {
        if (value?.Value is { } v)
            Put(name, v);
    }

    /// <summary>Adds a required typed value; <c>default</c> is left out (and reported as missing when the query is checked).</summary>
    public void Add<T>(string name, T value)
        where T : struct, IStringValue<T> => Add<T>(name, (T?)value);

    /// <summary>Adds <c>name=a,b,c</c> for typed values, exactly as for the same raw strings.</summary>
    public void Add<T>(string name, QueryValues<T>? values)
        where T : struct, IStringValue<T> => Add(name, values?.Select(v => v.Value));

    /// <summary>The parameters in the order they were added, as one exact array.</summary>
    public readonly Seq<(string Name, string Value)> ToSeq()
    {
        if (_count == 0)
            return Seq<(string Name, string Value)>();
        var all = new (string Name, string Value)[_count];
        for (var i = 0; i < _count; i++)
            all[i] = i < Inline.Length ? _first[i] : _more![i - Inline.Length];
        return LanguageExt.UnsafeValueAccess.UnsafeValueAccessExtensions.ToSeqUnsafe(all);
    }

    private void Put(string name, string value)
    {
        if (_count < Inline.Length)
            _first[_count] = (name, value);
        else
            (_more ??= []).Add((name, value));
        _count++;
    }

    [System.Runtime.CompilerServices.InlineArray(Length)]
    private struct Inline
    {
        public const int Length = 4;
        private (string Name, string Value) _item;
    }
}
