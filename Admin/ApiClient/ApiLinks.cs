using Microsoft.Extensions.Options;
using Nio.Admin.Hosting;

namespace Nio.Admin.ApiClient;

/// <summary>The Api's own paths (avatars, thumbnails, the jobs dashboard) as the operator's browser reaches them.</summary>
public sealed class ApiLinks(IOptions<ApiOptions> options)
{
    public string? Browser(string? path) => path is { Length: > 0 } && path[0] == '/' && (path.Length == 1 || path[1] != '/')
        ? options.Value.BrowserUrl + path
        : path;
}
