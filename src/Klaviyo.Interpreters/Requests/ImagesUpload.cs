namespace Klaviyo;

/// <summary>
/// Image uploads from a <see cref="Stream"/>. Reading a stream is I/O, so it lives here rather than in the pure
/// <see cref="Images"/> class: the stream is read to its end, then <see cref="Images.UploadImageFromFile"/>
/// describes the request.
/// </summary>
public static class ImagesUpload
{
    /// <summary>
    /// Reads <paramref name="file"/> from its current position to its end (it is not disposed) and returns the
    /// <c>upload_image_from_file</c> operation: a <c>multipart/form-data</c> body with the file, and <c>name</c> and
    /// <c>hidden</c> when given.
    /// </summary>
    /// <example><code>
    /// await using var png = File.OpenRead("logo.png");
    /// var op = await ImagesUpload.UploadImageFromFileAsync(png, "logo.png", name: "Logo");
    /// var result = await op.SendAsync(options);
    /// </code></example>
    /// <param name="file">The image (jpeg, png or gif; at most 5 MB).</param>
    /// <param name="fileName">The file name sent with the file.</param>
    /// <param name="contentType">The file's content type, e.g. <c>image/png</c>; guessed from <paramref name="fileName"/> when <c>null</c>.</param>
    /// <param name="name">A name for the image; Klaviyo uses the file name when not sent.</param>
    /// <param name="hidden">Whether the image is hidden from the asset library.</param>
    /// <param name="fieldsImage">Only these <c>image</c> fields are returned (sparse fieldset).</param>
    /// <param name="cancellationToken">Cancels reading the stream.</param>
    /// <returns>The operation; nothing is sent until it is run.</returns>
    public static async Task<RequestOperation> UploadImageFromFileAsync(
        Stream file,
        string fileName,
        string? contentType = null,
        string? name = null,
        bool? hidden = null,
        IEnumerable<string>? fieldsImage = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(file);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Images.UploadImageFromFile(
            buffer.ToArray(),
            fileName,
            contentType,
            name,
            hidden,
            fieldsImage is null ? null : QueryValues.From<ImageField>(fieldsImage)
        );
    }
}
