using Dapper;
using Npgsql;
using Nio.Api.Http;

namespace Nio.Api.Users;

/// <summary>A row of <c>users</c>; the password hash never leaves the Api.</summary>
public sealed record UserRow
{
    public Guid Id { get; init; }
    public string Email { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Bio { get; init; } = "";
    public string? AvatarUrl { get; init; }
    public string[] Roles { get; init; } = [];
    public DateTime CreatedAt { get; init; }
    /// <summary>Set while the user is banned from the platform.</summary>
    public DateTime? BannedAt { get; init; }

    public bool IsAdmin => Roles.Contains(Role.Admin);
}

/// <summary>What anyone may see of a user: never an email, a key or a role.</summary>
public sealed record PublicProfile
{
    public Guid Id { get; init; }
    public string DisplayName { get; init; } = "";
    public string Bio { get; init; } = "";
    public string? AvatarUrl { get; init; }
    public DateTime CreatedAt { get; init; }
    public long FollowerCount { get; init; }
    public long FollowingCount { get; init; }
    /// <summary>Whether the signed-in caller follows this user; false for anonymous callers.</summary>
    public bool FollowedByMe { get; init; }
    /// <summary>The user's live stream, if they are live now.</summary>
    public Guid? LiveStreamId { get; init; }
    public bool Live => LiveStreamId is not null;
}

/// <summary>A user found by search, with whether they are live now.</summary>
public sealed record SearchPerson
{
    public Guid Id { get; init; }
    public string DisplayName { get; init; } = "";
    public string? AvatarUrl { get; init; }
    public string Bio { get; init; } = "";
    public long FollowerCount { get; init; }
    public bool Live { get; init; }
    public Guid? LiveStreamId { get; init; }
}

public static class Role
{
    public const string User = "user";
    public const string Admin = "admin";

    /// <summary>Platform-wide chat and stream moderation, no money.</summary>
    public const string Moderator = "moderator";

    /// <summary>The roles an admin grants and revokes; <see cref="User"/> everyone keeps.</summary>
    public static readonly IReadOnlyList<string> Staff = [Admin, Moderator];
}

/// <summary>A user as operators list them.</summary>
public sealed record UserSummary
{
    public Guid Id { get; init; }
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string? AvatarUrl { get; init; }
    public string[] Roles { get; init; } = [];
    public DateTime CreatedAt { get; init; }
    public DateTime? BannedAt { get; init; }
    public string? BanReason { get; init; }
    public DateTime? PaymentFlaggedAt { get; init; }
}

/// <summary>What operators look for: <c>Query</c> is an id, an email (or its start) or part of a display name.</summary>
public sealed record UserSearch(string? Query, string? Role, bool? Banned, string Sort);

public sealed class DuplicateEmailException() : Exception("A user with this email already exists.");

/// <summary>Owns the <c>users</c> and <c>follows</c> tables.</summary>
public sealed class UserRepository(NpgsqlDataSource db)
{
    private const string UserColumns = "id, email, password_hash, display_name, bio, avatar_url, roles, created_at, banned_at";

    private const string ProfileColumns = """
        u.id, u.display_name, u.bio, u.avatar_url, u.created_at,
        (SELECT count(*) FROM follows f WHERE f.followee_id = u.id) AS follower_count,
        (SELECT count(*) FROM follows f WHERE f.follower_id = u.id) AS following_count,
        EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = @viewerId AND f.followee_id = u.id) AS followed_by_me,
        (SELECT s.id FROM streams s WHERE s.owner_id = u.id AND s.status = 'live') AS live_stream_id
        """;

    /// <summary>The search query (its plan is tested to use <c>users_display_name_trgm</c>).</summary>
    internal const string SearchSql = """
        SELECT u.id, u.display_name, u.avatar_url, u.bio,
               (SELECT count(*) FROM follows f WHERE f.followee_id = u.id) AS follower_count,
               s.id IS NOT NULL AS live, s.id AS live_stream_id
        FROM users u LEFT JOIN streams s ON s.owner_id = u.id AND s.status = 'live'
        WHERE u.banned_at IS NULL
          AND lower(u.display_name COLLATE "und-x-icu") LIKE lower(@pattern COLLATE "und-x-icu")
        ORDER BY similarity(lower(u.display_name COLLATE "und-x-icu"), lower(@query COLLATE "und-x-icu")) DESC,
                 follower_count DESC, u.created_at, u.id
        LIMIT @limit
        """;

    private const string SummaryColumns = "u.id, u.email, u.display_name, u.avatar_url, u.roles, u.created_at, u.banned_at, u.ban_reason, u.payment_flagged_at";

    /// <summary>
    /// The operators' search. The query is an exact id, an email's start (<c>users_email_prefix</c>) or part of a
    /// display name (<c>users_display_name_admin_trgm</c>); each is a separate branch so the planner picks its index.
    /// </summary>
    internal const string AdminSearchSql = $"""
        SELECT {SummaryColumns} FROM users u
        WHERE (@id::uuid IS NULL OR u.id = @id)
          AND (@emailPrefix::text IS NULL OR u.email_normalized LIKE @emailPrefix)
          AND (@namePattern::text IS NULL OR lower(u.display_name COLLATE "und-x-icu") LIKE lower(@namePattern COLLATE "und-x-icu"))
          AND (@role::text IS NULL OR @role = ANY (u.roles))
          AND (@banned::boolean IS NULL OR (u.banned_at IS NOT NULL) = @banned)
        """;

    /// <summary>Totals are counted up to this; past it the count says "at least".</summary>
    public const int CountLimit = 10_000;

    public async Task<Page<UserSummary>> AdminSearchAsync(UserSearch search, PageQuery page, CancellationToken cancellationToken)
    {
        var query = search.Query?.Trim() ?? "";
        Guid? id = Guid.TryParse(query, out var parsed) ? parsed : null;
        var isEmail = id is null && query.Contains('@');
        var parameters = new
        {
            id,
            emailPrefix = isEmail ? Search.SearchText.StartsWithPattern(NormalizeEmail(query)) : null,
            namePattern = id is null && !isEmail && query.Length > 0 ? Search.SearchText.ContainsPattern(query) : null,
            role = search.Role, banned = search.Banned, limit = page.Size, offset = page.Offset, countLimit = CountLimit,
        };
        var order = search.Sort switch
        {
            "oldest" => "u.created_at, u.id",
            "name" => "lower(u.display_name COLLATE \"und-x-icu\"), u.id",
            _ => "u.created_at DESC, u.id DESC",
        };
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<UserSummary>(new CommandDefinition(
            $"{AdminSearchSql} ORDER BY {order} LIMIT @limit OFFSET @offset", parameters, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT count(*) FROM ({AdminSearchSql} LIMIT @countLimit) found", parameters, cancellationToken: cancellationToken));
        return new Page<UserSummary>(items.AsList(), page.PageNumber, page.Size, total);
    }

    public async Task<(UserSummary Summary, string Bio)?> AdminFindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserSummary>(new CommandDefinition(
            $"SELECT {SummaryColumns} FROM users u WHERE u.id = @id", new { id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var bio = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT bio FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return (row, bio ?? "");
    }

    /// <summary>Users whose refunded purchases had been spent, newest flag first.</summary>
    public async Task<Page<UserSummary>> PaymentFlaggedAsync(PageQuery page, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<UserSummary>(new CommandDefinition(
            $"SELECT {SummaryColumns} FROM users u WHERE u.payment_flagged_at IS NOT NULL ORDER BY u.payment_flagged_at DESC, u.id LIMIT @limit OFFSET @offset",
            new { limit = page.Size, offset = page.Offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM users WHERE payment_flagged_at IS NOT NULL", cancellationToken: cancellationToken));
        return new Page<UserSummary>(items.AsList(), page.PageNumber, page.Size, total);
    }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    public async Task<UserRow> CreateAsync(string email, string passwordHash, string displayName, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            return await connection.QuerySingleAsync<UserRow>(new CommandDefinition(
                $"""
                INSERT INTO users (id, email, email_normalized, password_hash, display_name)
                VALUES (@id, @email, @normalized, @passwordHash, @displayName)
                RETURNING {UserColumns}
                """,
                new { id = Guid.CreateVersion7(), email, normalized = NormalizeEmail(email), passwordHash, displayName },
                cancellationToken: cancellationToken));
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicateEmailException();
        }
    }

    public async Task<UserRow?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM users WHERE email_normalized = @normalized",
            new { normalized = NormalizeEmail(email) }, cancellationToken: cancellationToken));
    }

    public async Task<UserRow?> FindByIdAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Changes the fields that are not null; an empty avatar URL clears it.</summary>
    public async Task<UserRow?> UpdateProfileAsync(Guid id, string? displayName, string? bio, string? avatarUrl, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"""
            UPDATE users SET
                display_name = coalesce(@displayName, display_name),
                bio = coalesce(@bio, bio),
                avatar_url = CASE WHEN @avatarUrl IS NULL THEN avatar_url ELSE nullif(@avatarUrl, '') END,
                updated_at = now()
            WHERE id = @id
            RETURNING {UserColumns}
            """,
            new { id, displayName, bio, avatarUrl }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Creates the account as an admin, or updates an existing admin's password when <paramref name="newPasswordHash"/>
    /// is not null. An existing account that is not an admin is made one only with <paramref name="promoteExisting"/>;
    /// otherwise nothing changes and the answer is null. Decided in the one statement, so an account registered a moment
    /// earlier is never promoted by accident.
    /// </summary>
    public async Task<UserRow?> UpsertAdminAsync(
        string email, string? newPasswordHash, string displayName, bool promoteExisting, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"""
            INSERT INTO users (id, email, email_normalized, password_hash, display_name, roles)
            VALUES (@id, @email, @normalized, coalesce(@newPasswordHash, ''), @displayName, ARRAY['user', 'admin'])
            ON CONFLICT (email_normalized) DO UPDATE SET
                password_hash = coalesce(@newPasswordHash, users.password_hash),
                roles = CASE WHEN 'admin' = ANY (users.roles) THEN users.roles ELSE users.roles || 'admin'::text END,
                updated_at = now()
            WHERE 'admin' = ANY (users.roles) OR @promoteExisting
            RETURNING {UserColumns}
            """,
            new { id = Guid.CreateVersion7(), email, normalized = NormalizeEmail(email), newPasswordHash, displayName, promoteExisting },
            cancellationToken: cancellationToken));
    }

    /// <summary>Bans the user from the platform (or, with <paramref name="reason"/> null, lifts it); false for an unknown user.</summary>
    public async Task<bool> SetBannedAsync(Guid id, bool banned, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE users SET banned_at = CASE WHEN @banned THEN coalesce(banned_at, now()) END,
                             ban_reason = CASE WHEN @banned THEN @reason END, updated_at = now()
            WHERE id = @id
            """,
            new { id, banned, reason }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<bool> IsBannedAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM users WHERE id = @id AND banned_at IS NOT NULL)", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>The user's roles as the database says now (a token says what they were when it was minted); null for an unknown user.</summary>
    public async Task<string[]?> RolesAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string[]>(new CommandDefinition(
            "SELECT roles FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Gives the user exactly the staff roles in <paramref name="staffRoles"/> (keeping <c>user</c>); the roles before
    /// and after, or null for an unknown user. The row is locked, so two operators changing roles at once are ordered.
    /// </summary>
    public async Task<(string[] Before, string[] After)?> SetStaffRolesAsync(Guid id, IReadOnlyCollection<string> staffRoles, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await connection.QuerySingleOrDefaultAsync<string[]>(new CommandDefinition(
            "SELECT roles FROM users WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
        if (before is null)
        {
            return null;
        }

        string[] after = [.. before.Where(r => !Role.Staff.Contains(r)), .. Role.Staff.Where(staffRoles.Contains)];
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET roles = @after, updated_at = now() WHERE id = @id", new { id, after }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (before, after);
    }

    /// <summary>The profile as <paramref name="viewerId"/> (null: an anonymous caller) sees it.</summary>
    public async Task<PublicProfile?> GetProfileAsync(Guid id, Guid? viewerId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PublicProfile>(new CommandDefinition(
            $"SELECT {ProfileColumns} FROM users u WHERE u.id = @id", new { id, viewerId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Users who are not banned whose display name contains <paramref name="pattern"/> (a LIKE pattern, matched against
    /// the ICU-lower-cased name through the <c>users_display_name_trgm</c> index), closest names first.
    /// </summary>
    public async Task<IReadOnlyList<SearchPerson>> SearchAsync(string query, string pattern, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SearchPerson>(new CommandDefinition(
            SearchSql,
            new { query, pattern, limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Follows a user; false when that user does not exist. Following twice is harmless.</summary>
    public async Task<bool> FollowAsync(Guid followerId, Guid followeeId, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO follows (follower_id, followee_id) VALUES (@followerId, @followeeId) ON CONFLICT DO NOTHING",
                new { followerId, followeeId }, cancellationToken: cancellationToken));
            return true;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return false;
        }
    }

    public async Task UnfollowAsync(Guid followerId, Guid followeeId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM follows WHERE follower_id = @followerId AND followee_id = @followeeId",
            new { followerId, followeeId }, cancellationToken: cancellationToken));
    }

    public async Task<Page<PublicProfile>> ListFollowingAsync(Guid followerId, PageQuery page, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<PublicProfile>(new CommandDefinition(
            $"""
            SELECT {ProfileColumns}
            FROM follows f0 JOIN users u ON u.id = f0.followee_id
            WHERE f0.follower_id = @followerId
            ORDER BY f0.created_at DESC, u.id
            LIMIT @limit OFFSET @offset
            """,
            new { followerId, viewerId = followerId, limit = page.Size, offset = page.Offset }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM follows WHERE follower_id = @followerId", new { followerId }, cancellationToken: cancellationToken));
        return new Page<PublicProfile>(items.AsList(), page.PageNumber, page.Size, total);
    }
}
