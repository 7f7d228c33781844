// The page's one connection to the Cleanroom IndexedDB (workers open their own).
import { CleanroomDb } from '../../store';

export const db = new CleanroomDb();
