import type { FileGrants } from '../files/grants'
import type { Handlers } from '../ipc/router'
import type { LibraryService } from './service'

/** Path-taking channels only accept paths the user picked in a native dialog (see FileGrants). */
export function libraryHandlers(l: LibraryService, grants: FileGrants) {
  return {
    'library.get': (i) => l.get(i.id),
    'library.getMany': (i) => l.getMany(i.ids),
    'library.stats': () => l.stats(),
    'library.create': (i) => l.create(i),
    'library.update': (i) => l.update(i.id, i.patch),
    'library.delete': (i) => l.delete(i.ids),
    'library.bulkUpdate': (i) => l.bulkUpdate(i),
    'library.importFile': (i) => l.importFile({ path: grants.assertRead(i.path), format: i.format, onDuplicate: i.onDuplicate }),
    'library.importText': (i) => l.importFile({ text: i.text, name: i.name, format: i.format, onDuplicate: i.onDuplicate }),
    'library.importPdfs': (i) => l.importPdfs(i.paths.map((p) => grants.assertRead(p))),
    'library.importIdentifiers': (i) => l.importIdentifiers(i.identifiers),
    'library.enrich': (i) => l.enrich(i?.ids),
    'library.duplicates': (i) => l.duplicates(i?.ids),
    'library.merge': (i) => l.merge(i.keepId, i.mergeIds),
    'library.export': (i) => l.export({ ...i, filePath: i.filePath === undefined ? undefined : grants.assertWrite(i.filePath) }),
    'library.tags': () => l.tags(),
    'library.tagRename': (i) => l.renameTag(i.id, i.name),
    'library.tagSetColor': (i) => l.setTagColor(i.id, i.color),
    'library.tagDelete': (i) => l.deleteTag(i.id),
    'library.collections': () => l.collections(),
    'library.collectionCreate': (i) => l.createCollection(i.name, i.parentId ?? null),
    'library.collectionUpdate': (i) => l.updateCollection(i.id, i),
    'library.collectionDelete': (i) => l.deleteCollection(i.id),
    'library.attachmentAdd': (i) => l.addAttachment(i.paperId, grants.assertRead(i.path)),
    'library.attachmentRemove': (i) => l.removeAttachment(i.id),
    'library.attachmentPath': (i) => l.attachmentPath(i.id),
    'library.reextractText': (i) => l.reextractText(i ?? {}),
    'library.savedSearches': () => l.savedSearches(),
    'library.savedSearchSave': (i) => l.saveSearch(i),
    'library.savedSearchDelete': (i) => l.deleteSavedSearch(i.id),
  } satisfies Pick<Handlers, `library.${string}` & keyof Handlers>
}
