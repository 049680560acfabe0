using System.Text;

namespace Klaviyo.Codegen;

/// <summary>Writes one static partial class per tag with one method per operation.</summary>
public static class OperationsEmitter
{
    private const string Indent = "    ";
    private const string Body = "        ";

    /// <summary>The file for one tag's operations.</summary>
    public static GeneratedFile Emit(
        string revision,
        string className,
        string specTag,
        IReadOnlyList<Shape> shapes,
        Func<Shape, OperationTypes>? typesOf = null
    )
    {
        var sb = new StringBuilder();
        sb.Append(Generator.Header(revision));
        sb.Append("#nullable enable\n\n");
        sb.Append("namespace Klaviyo;\n\n");
        foreach (
            var line in DocText.Wrap(
                "",
                $"<summary>The operations tagged <c>{DocText.Escape(specTag)}</c> in Klaviyo's API (revision {revision}), one method per operationId. Each method only describes a request as a <see cref=\"RequestOperation\"/>: nothing is sent until an interpreter runs it.</summary>"
            )
        )
            sb.Append(line).Append('\n');
        sb.Append("public static partial class ").Append(className).Append('\n');
        sb.Append("{\n");
        for (var i = 0; i < shapes.Count; i++)
        {
            if (i > 0)
                sb.Append('\n');
            var types = typesOf?.Invoke(shapes[i]) ?? OperationTypes.None;
            EmitMethod(sb, shapes[i], types);
            if (types.Body is not null)
            {
                sb.Append('\n');
                EmitTypedBodyOverload(sb, shapes[i], types);
            }
        }
        sb.Append("}\n");
        return new GeneratedFile(className + ".g.cs", sb.ToString());
    }

    private static void Signature(
        StringBuilder sb,
        string head,
        IReadOnlyList<string> parameters,
        string tail
    )
    {
        var oneLine = head + string.Join(", ", parameters) + ")" + tail;
        if (oneLine.Length <= Code.Width)
            sb.Append(oneLine).Append('\n');
        else
        {
            sb.Append(head).Append('\n');
            for (var i = 0; i < parameters.Count; i++)
                sb.Append(Body)
                    .Append(parameters[i])
                    .Append(i < parameters.Count - 1 ? ",\n" : "\n");
            sb.Append(Indent).Append(')').Append(tail).Append('\n');
        }
    }

    // The typed body overload: the same operation, the body a generated model (encoded by its generated writer).
    private static void EmitTypedBodyOverload(StringBuilder sb, Shape shape, OperationTypes types)
    {
        foreach (var line in MethodDocs(shape, types.Body))
            sb.Append(line).Append('\n');
        var parameters = shape
            .Args.Select(a =>
                a.Kind == ArgKind.JsonBody
                    ? $"{types.Body}{(a.Optional ? "?" : "")} {a.Identifier}{(a.Optional ? " = null" : "")}"
                    : $"{a.Type} {a.Identifier}{(a.Optional ? " = null" : "")}"
            )
            .ToList();
        Signature(
            sb,
            $"{Indent}public static {types.ReturnType} {shape.MethodName}(",
            parameters,
            ""
        );
        sb.Append(Indent).Append("{\n");
        var call = Code.Call(
            shape.MethodName,
            shape.Args.Select(a =>
                Code.Text(
                    a.Kind == ArgKind.JsonBody
                        ? $"({(a.Optional ? "object?" : "object")}){a.Identifier}"
                        : a.Identifier
                )
            )
        );
        sb.Append(call.Statement(8, "return "));
        sb.Append(Indent).Append("}\n");
    }

    private static void EmitMethod(StringBuilder sb, Shape shape, OperationTypes types)
    {
        var op = shape.Operation;
        foreach (var line in MethodDocs(shape))
            sb.Append(line).Append('\n');

        var parameters = shape
            .Args.Select(a => $"{a.Type} {a.Identifier}{(a.Optional ? " = null" : "")}")
            .ToList();
        Signature(
            sb,
            $"{Indent}public static {types.ReturnType} {shape.MethodName}(",
            parameters,
            ""
        );
        sb.Append(Indent).Append("{\n");

        // The query parameters are collected first and the operation is made once with them (no copy per
        // parameter), in the spec's order.
        var byWire = shape.Args.Where(a => a.Kind == ArgKind.Query).ToDictionary(a => a.WireName);
        var queryLines = new List<string>();
        if (op.QueryParameters.Count > 0)
        {
            queryLines.Add(Body + "var query = new QueryList();\n");
            foreach (var p in op.QueryParameters)
                queryLines.Add(
                    Call("", "query.Add", Naming.Literal(p.Name), byWire[p.Name].Identifier)
                );
        }

        Code[] createArgs =
        [
            Code.Text(Naming.Literal(op.OperationId)),
            Code.Text("HttpMethod." + Naming.Pascal(op.Method.ToLowerInvariant())),
            Code.Text(Naming.Literal(op.Path)),
            .. queryLines.Count > 0 ? new[] { Code.Text("query") } : [],
            .. shape.Args.Where(a => a.Kind == ArgKind.Path).Select(a => Code.Text(a.Identifier)),
        ];
        var create = Code.Call("Generated.Operation", createArgs);

        var statements = new List<string>();

        if (shape.Args.FirstOrDefault(a => a.Kind == ArgKind.JsonBody) is { } json)
            statements.Add(Call("op = ", "op.AddJsonBody", json.Identifier));

        if (op.Body is { ContentType: "multipart/form-data" } multipart)
        {
            statements.Add(Body + "var parts = Generated.NoParts;\n");
            foreach (var f in multipart.FormFields)
            {
                var args = shape.Args.Where(a => a.Field == f).ToList();
                if (f.Type == "string" && f.Format == "binary")
                    statements.Add(
                        Call(
                            "parts = ",
                            "parts.AddFile",
                            Naming.Literal(f.Name),
                            args.Single(a => a.Kind == ArgKind.FormFile).Identifier,
                            args.Single(a => a.Kind == ArgKind.FormFileName).Identifier,
                            args.Single(a => a.Kind == ArgKind.FormContentType).Identifier
                        )
                    );
                else
                    statements.Add(
                        Call(
                            "parts = ",
                            "parts.AddText",
                            Naming.Literal(f.Name),
                            args.Single().Identifier
                        )
                    );
            }
            statements.Add(Body + "op = op.WithBody(RequestBody.Multipart(parts));\n");
        }

        foreach (var a in shape.Args.Where(a => a.Kind == ArgKind.Header))
            statements.Add(Call("op = ", "op.AddHeader", Naming.Literal(a.WireName), a.Identifier));

        if (types.Response is not null)
            statements.Add(Body + "return new(op);\n");
        else
            statements.Add(Body + "return op;\n");
        foreach (var line in queryLines)
            sb.Append(line);
        if (statements.Count == 1 && types.Response is null)
            sb.Append(create.Statement(8, "return "));
        else if (statements.Count == 1)
            // Nothing to add after the query: the typed operation is made directly, not made untyped and copied.
            sb.Append(
                Code.Call("new", Code.Call("Generated.Start", createArgs)).Statement(8, "return ")
            );
        else
        {
            sb.Append(create.Statement(8, "var op = "));
            foreach (var s in statements)
                sb.Append(s);
        }
        sb.Append(Indent).Append("}\n");
    }

    private static string Call(string prefix, string head, params string[] args) =>
        Code.Call(head, args.Select(Code.Text)).Statement(8, prefix);

    private static IEnumerable<string> MethodDocs(Shape shape, string? typedBody = null)
    {
        var op = shape.Operation;
        var first = DocText.Clean(DocText.FirstParagraph(op.Description));
        var summary = first.Length > 0 ? first : DocText.Clean(op.Summary);
        foreach (
            var line in DocText.Wrap(Indent, $"<summary>{DocText.Sentence(summary)}</summary>")
        )
            yield return line;

        var remarks = new StringBuilder();
        remarks.Append(
            $"<remarks><c>{op.Method} {DocText.Escape(op.Path)}</c> — {DocText.Escape(DocText.Sentence(op.Summary))} OperationId <c>{op.OperationId}</c>"
        );
        if (op.Aliases.Count > 0)
            remarks.Append(
                $" (formerly {string.Join(", ", op.Aliases.Select(a => $"<c>{a}</c>"))})"
            );
        remarks.Append(". ");
        if (op.RateLimit.Count > 0)
            remarks.Append(
                $"Rate limit: {string.Join(", ", op.RateLimit.Select(r => $"{r.Value} {r.Kind}"))}. "
            );
        if (op.Scopes.Count > 0)
            remarks.Append(
                $"Scopes: {string.Join(", ", op.Scopes.Select(s => $"<c>{DocText.Escape(s)}</c>"))}. "
            );
        if (op.Path.StartsWith("/client/", StringComparison.Ordinal))
            remarks.Append(
                "Client API: sends no <c>authorization</c> header; the account is named by the public key in <c>company_id</c>. "
            );
        remarks.Append($"Success status: {op.SuccessStatus}.</remarks>");
        foreach (var line in DocText.Wrap(Indent, remarks.ToString()))
            yield return line;

        foreach (var a in shape.Args)
        foreach (
            var line in DocText.Wrap(
                Indent,
                $"<param name=\"{a.Name}\">{DocText.Sentence(a.Kind == ArgKind.JsonBody && typedBody is not null ? TypedBodyDoc(op, typedBody) : ParamDoc(op, a))}</param>"
            )
        )
            yield return line;
        yield return $"{Indent}/// <returns>The operation; nothing is sent until it is run.</returns>";
    }

    private static string TypedBodyDoc(SpecOperation op, string type) =>
        $"The JSON:API request document as the generated model <see cref=\"{type}\"/> (members left null are not sent); sent as <c>{op.Body!.ContentType}</c>. The overload taking <c>object</c> takes raw JSON";

    private static string ParamDoc(SpecOperation op, Arg a)
    {
        var p = a.Parameter;
        var optional = a.Optional ? " Not sent when <c>null</c>." : "";
        switch (a.Kind)
        {
            case ArgKind.Path:
                var pd = DocText.Clean(DocText.FirstParagraph(p!.Description));
                return (pd.Length > 0 ? DocText.Sentence(pd) : $"The <c>{p.Name}</c> path segment.")
                    + " Encoded as exactly one path segment";
            case ArgKind.JsonBody:
                return $"The JSON:API request document{(op.Body!.SchemaName is { } s ? $" (<c>{s}</c>)" : "")}: an anonymous object, a record, a dictionary, a <c>JsonNode</c> or a <c>JsonElement</c>; sent as <c>{op.Body.ContentType}</c>";
            case ArgKind.FormFile:
                return DocText.Clean(a.Field!.Description) + optional;
            case ArgKind.FormFileName:
                return $"The file name sent with <c>{a.WireName}</c>";
            case ArgKind.FormContentType:
                return $"The content type sent with <c>{a.WireName}</c>, e.g. <c>image/png</c>; when <c>null</c>, guessed from the file name's extension";
            case ArgKind.FormField:
                return DocText.Sentence(DocText.Clean(a.Field!.Description)) + optional;
            case ArgKind.Header:
                var example = p!.Example is { } hx ? $" Example: <c>{DocText.Escape(hx)}</c>." : "";
                return $"Sent as the <c>{p.Name}</c> header. {DocText.Sentence(DocText.Clean(p.Description))}{example}{optional}";
        }

        var name = p!.Name;
        string text;
        if (name == "filter")
        {
            text = "A filter expression";
            if (p.Example is { } ex)
                text += $", e.g. <c>{DocText.Escape(ex)}</c>";
            if (op.Filters.Count > 0)
                text += $". Fields: {DocText.Values([.. op.Filters.Select(f => f.Field)], 12)}";
        }
        else if (name.StartsWith("fields[", StringComparison.Ordinal))
            text =
                $"Only these <c>{DocText.Escape(name[7..^1])}</c> fields are returned (sparse fieldset): {DocText.Values(p.Enum, 6)}";
        else if (name.StartsWith("additional-fields[", StringComparison.Ordinal))
            text =
                $"Extra <c>{DocText.Escape(name[18..^1])}</c> fields to return: {DocText.Values(p.Enum, 6)}";
        else if (name == "include")
            text = $"Related resources to include: {DocText.Values(p.Enum, 12)}";
        else if (name == "sort")
            text =
                $"The sort field, prefixed with <c>-</c> for descending order: {DocText.Values([.. p.Enum.Where(v => !v.StartsWith('-'))], 12)}";
        else if (name is "page[cursor]" or "page_cursor")
            text = "The page to fetch: the cursor from the previous page's <c>links.next</c>";
        else if (name == "page[size]")
            text =
                $"Results per page, {p.Minimum}–{p.Maximum}"
                + (p.Default is { } d ? $" (the server's default is {d})" : "");
        else
        {
            var desc = DocText.Clean(DocText.FirstParagraph(p.Description));
            text =
                desc.Length > 0
                    ? DocText.Sentence(desc).TrimEnd('.')
                    : $"The <c>{DocText.Escape(name)}</c> query parameter";
            if (p.Enum.Count > 0)
                text += $". One of {DocText.Values(p.Enum, 12)}";
        }
        if (a.Type.StartsWith("QueryValues<", StringComparison.Ordinal))
            text =
                DocText.Sentence(text)
                + $" Write <see cref=\"{a.Type[12..a.Type.IndexOf('>')]}\"/> members or raw strings";
        else if (p.Enum.Count > 0 && !a.Type.StartsWith("string", StringComparison.Ordinal))
            text =
                DocText.Sentence(text)
                + $" Write a <see cref=\"{a.Type.TrimEnd('?')}\"/> member or a raw string";
        return DocText.Sentence(text) + optional;
    }
}
