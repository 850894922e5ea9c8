namespace Odock.Domain.Users;

public enum UserStatus
{
    Active,
    Disabled,
}
