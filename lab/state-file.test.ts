import { droppedFields, fieldPaths } from './state-file';

describe('fieldPaths: the fields a state document holds', () => {
  it('names nested fields in lower case, array elements by [], and leaves out null and empty values', () => {
    const document = {
      users: [
        { userName: 'a', Name: { givenName: 'A' }, emails: [{ value: 'a@example.com' }], title: null },
        { userName: 'b', groups: [], x: {}, 'odd.key': 1, '[]': 2 },
      ],
      version: 1,
    };
    expect([...fieldPaths(document)].sort()).toEqual(
      [
        'users',
        'users[].username',
        'users[].name',
        'users[].name.givenname',
        'users[].emails',
        'users[].emails[].value',
        'users[].odd.key',
        'users[].[]',
        'version',
      ].sort(),
    );
  });
});

describe('droppedFields: what an import would lose', () => {
  it('lists the offered fields that the kept state no longer has, at most max of them', () => {
    const offered = { users: [{ userName: 'a', nickName: 'n', extra: { deep: true } }], more: 1 };
    const kept = { users: [{ userName: 'a' }] };
    expect(droppedFields(fieldPaths(offered), kept).sort()).toEqual([
      'more',
      'users[].extra',
      'users[].extra.deep',
      'users[].nickname',
    ]);
    expect(droppedFields(offered, kept, 2)).toHaveLength(2);
    expect(droppedFields(offered, offered)).toEqual([]);
  });
});
